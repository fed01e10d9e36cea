namespace Platform.Host.Tests.Support;

/// <summary>
/// Sandbox stores that stopped taking orders 35 days ago: their history no longer changes, so a test can compare
/// the host's counts with the marketplace's exactly (see the sandbox's <c>closedOn</c> setting).
/// </summary>
public static class ClosedStores
{
    public static readonly DateTimeOffset Today = new(DateTime.UtcNow.Date, TimeSpan.Zero);
    public static readonly string ClosedOn = Today.AddDays(-35).ToString("yyyy-MM-dd");
}
