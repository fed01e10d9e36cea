namespace Platform.Plugins.Sandbox.Reading;

/// <summary>The (ChangedAt, ExternalId) key a read resumes after.</summary>
internal readonly record struct ReadPosition(long Ticks, string ExternalId);
