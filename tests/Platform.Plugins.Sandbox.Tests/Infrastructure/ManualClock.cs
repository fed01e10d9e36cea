namespace Platform.Plugins.Sandbox.Tests.Infrastructure;

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
