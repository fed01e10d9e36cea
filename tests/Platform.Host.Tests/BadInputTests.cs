using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>Bad configuration and storage stop the host at start with the key or file and what to do.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("Platform:Sync:SafetyLagSeconds", "-5")]
    [InlineData("Platform:Database:Provider", "Oracle")]
    [InlineData("Platform:Cluster:Provider", "Zookeeper")]
    [InlineData("Platform:ExchangeRates:EURO-USD", "1.1")]
    [InlineData("Platform:ExchangeRates:SGD-USD", "-0.7")]
    [InlineData("Platform:ExchangeRates:SGD-USD:2026-13-01", "0.7")]
    [InlineData("Platform:ExchangeRates:MYR-USD:2026-01-01", "cheap")]
    [InlineData("Platform:Service:BusinessHours:Close", "08:00")] // before the default opening at 09:00
    [InlineData("Platform:Service:BusinessHours:TimeZone", "Mars/Olympus")]
    [InlineData("Platform:Service:BreachAfterHours", "0")]
    [InlineData("Platform:Service:SweepCron", "every minute")]
    [InlineData("Platform:Telemetry:OtlpEndpoint", "ftp://collector:21")]
    [InlineData("Platform:Telemetry:Protocol", "udp")]
    [InlineData("Platform:Api:MaxRequestBodyBytes", "0")]
    [InlineData("Platform:Cluster:SiloPort", "0")]
    [InlineData("Platform:Cluster:GatewayPort", "70000")]
    [InlineData("Platform:Cluster:ClusterId", "")]
    [InlineData("Platform:AdminKey", "short")]
    [InlineData("Platform:Sync:DispatchBatchSize", "0")]
    [InlineData("Platform:Sync:MaxRecordsPerCommit", "0")]
    [InlineData("Platform:Sync:ReadAheadPages", "0")]
    [InlineData("Platform:Http:MaxRetries", "21")]
    [InlineData("Platform:Http:AttemptTimeout", "00:00:00")]
    [InlineData("Platform:Http:TotalTimeout", "00:00:01")] // shorter than the default attempt timeout (30 s)
    [InlineData("Platform:Http:RetryBaseDelay", "-00:00:01")]
    [InlineData("Platform:Http:MaxRetryAfter", "-00:00:01")]
    [InlineData("Platform:Http:BreakerFailureRatio", "1.5")]
    [InlineData("Platform:Http:BreakerMinimumThroughput", "1")]
    [InlineData("Platform:Http:BreakerSamplingDuration", "00:00:00.1")]
    [InlineData("Platform:Http:BreakDuration", "00:00:00.1")]
    [InlineData("Platform:Value:MonthlyDiscountRate", "2")]
    [InlineData("Platform:Value:Weights:Current", "-1")]
    [InlineData("Platform:Value:FitSampleSize", "-1")]
    [InlineData("Platform:Value:RescoreQuietSeconds", "4000")]
    [InlineData("Platform:Value:KeyAccountPercent", "101")]
    [InlineData("Platform:Value:ScoringCron", "nightly")]
    [InlineData("Platform:Value:Tiers:GraceDays", "-1")]
    [InlineData("Platform:Value:Tiers:Levels:0:MinSpend", "10")] // the lowest tier starts at 0
    [InlineData("Platform:Value:Points:PerCurrencyUnit", "-1")]
    [InlineData("Platform:Value:Points:ReviewBonus", "-1")]
    [InlineData("Platform:Value:Points:ExpiryMonths", "2000")]
    [InlineData("Platform:Value:Care:WinBackPAlive", "2")]
    [InlineData("Platform:Value:Care:Festivals:0:Date", "someday")]
    [InlineData("Platform:Value:Care:Festivals:0:LeadDays", "400")]
    [InlineData("Platform:Service:ReplyWindowDays", "0")]
    [InlineData("Platform:Service:NegativeTextThreshold", "0.5")]
    [InlineData("Platform:Service:ComplaintWords:0", " ", "Platform:Service:ComplaintWords")] // a list: the message names the list
    [InlineData("Platform:Service:BusinessHours:Open", "25:00")]
    [InlineData("Platform:Service:BusinessHours:Days:0", "Funday", "Platform:Service:BusinessHours:Days")] // a list: the message names the list
    [InlineData("Platform:Service:BusinessHours:Closed:0", "2026-02-30", "Platform:Service:BusinessHours:Closed")] // a list: the message names the list
    [InlineData("Platform:Telemetry:ExportIntervalSeconds", "0")]
    [InlineData("Platform:Telemetry:ServiceName", " ")]
    [InlineData("Platform:Identity:RelayEmailPatterns:0", "(unclosed", "Platform:Identity:RelayEmailPatterns")] // a list: the message names the list
    [InlineData("Platform:Identity:RelayPhonePatterns:0", "[0-", "Platform:Identity:RelayPhonePatterns")] // a list: the message names the list
    [InlineData("Platform:Api:MaxRequestBodyBytes", "lots")]
    // The reliability suite's sweep of api.md and PlatformOptions: every key a value can be wrong for.
    [InlineData("Platform:Value:Care:WinBackMinScore", "101")]
    [InlineData("Platform:Value:Care:FollowUpAfterDays", "-1")]
    [InlineData("Platform:Value:Care:StaleDays", "400")]
    [InlineData("Platform:Value:Care:ReplenishmentMinRepeats", "0")]
    [InlineData("Platform:Value:Care:Festivals:0:Tiers:0", "Bronze")] // not one of the configured tiers
    [InlineData("Platform:Value:Care:Festivals:0:Name", " ")]
    [InlineData("Platform:Value:Weights:EValue", "-0.5")]
    [InlineData("Platform:Value:Tiers:Levels:0:PointsMultiplier", "-1")]
    [InlineData("Platform:Demo:Enabled", "maybe")]
    [InlineData("Platform:Identity:Enabled", "perhaps")]
    [InlineData("Platform:Service:SameBusinessDay", "sometimes")]
    [InlineData("Platform:Sync:SafetyLagSeconds", "soon")]
    [InlineData("Platform:Http:AttemptTimeout", "thirty seconds")]
    [InlineData("ConnectionStrings:Platform", "Data Sauce=platform.db")] // a misspelt SQLite keyword
    [InlineData("ConnectionStrings:Platform", "Data Source=/proc/platform-tests/platform.db")] // a folder nobody can create
    public async Task An_invalid_setting_stops_the_host_naming_the_key(string key, string value, string? named = null)
    {
        named ??= key;
        await using var host = new HostProcess(TestPaths.NewTempDirectory("badconfig"), new Dictionary<string, string> { [key] = value });
        await host.StartAsync(waitForReady: false);
        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(60)) != 0, $"the host started with {key}={value}:\n{host.Log}");
        Assert.True(host.Log.Contains(named, StringComparison.Ordinal), $"the log of {key}={value} does not name {named}:\n{host.Log}");
    }

    [Fact]
    public async Task A_read_only_database_file_stops_the_host_naming_the_file_and_keeps_it_intact()
    {
        var data = TestPaths.NewTempDirectory("readonly");
        await using (var first = new HostProcess(data))
        {
            await first.StartAsync();
            await first.Client().CreateMerchantAsync("kept");
            await first.StopAsync();
        }
        var file = Path.Combine(data, "platform.db");
        File.SetAttributes(file, FileAttributes.ReadOnly);
        try
        {
            await using var second = new HostProcess(data);
            await second.StartAsync(waitForReady: false);
            Assert.Equal(2, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(file, second.Log);
            Assert.Contains("read-only", second.Log);
        }
        finally
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        await using var third = new HostProcess(data);
        await third.StartAsync();
        Assert.Equal("kept", (await third.Client().GetJsonAsync("/api/v1/merchants/kept")).GetProperty("id").GetString());
    }
}
