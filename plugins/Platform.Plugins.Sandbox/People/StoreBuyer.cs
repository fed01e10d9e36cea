using Platform.Abstractions;

namespace Platform.Plugins.Sandbox.People;

/// <summary>A person as one store knows them: the store's buyer id and what the store reveals.</summary>
internal sealed record StoreBuyer(Person Person, BuyerIdentity Identity, string Username);
