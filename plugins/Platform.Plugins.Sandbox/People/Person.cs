namespace Platform.Plugins.Sandbox.People;

/// <summary>Someone in the population: the same in every store that shares the population seed.</summary>
internal sealed record Person(
    int Index,
    string Name,
    string FirstAscii,
    string LastAscii,
    string? Email,
    Phone? Phone,
    string Country,
    string City);
