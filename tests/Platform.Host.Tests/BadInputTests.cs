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
    [InlineData("Platform:Api:MaxRequestBodyBytes", "lots")]
    public async Task An_invalid_setting_stops_the_host_naming_the_key(string key, string value)
    {
        await using var host = new HostProcess(TestPaths.NewTempDirectory("badconfig"), new Dictionary<string, string> { [key] = value });
        await host.StartAsync(waitForReady: false);
        Assert.NotEqual(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(key, host.Log);
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
