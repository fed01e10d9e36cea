using System.Text;
using Platform.Host.Tests.Support;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;
using Request = WireMock.RequestBuilders.Request;

namespace Platform.Host.Tests;

/// <summary>
/// The real host exporting over OTLP/HTTP to a collector stand-in (WireMock): a sync's metrics (records by store and
/// stream, the run's duration) and its span arrive, tagged with the store; the outbox lag per merchant and Orleans'
/// grain counts by type are exported too.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_syncs_metrics_and_trace_reach_the_configured_otlp_endpoint()
    {
        using var collector = WireMockServer.Start();
        foreach (var signal in new[] { "metrics", "traces" })
            collector.Given(Request.Create().WithPath($"/v1/{signal}").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        await using var host = new HostProcess(TestPaths.NewTempDirectory("otel"), new Dictionary<string, string>
        {
            ["Platform:Telemetry:OtlpEndpoint"] = collector.Url!,
            ["Platform:Telemetry:ExportIntervalSeconds"] = "1",
        });
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync("otel");
        await api.PutStoreAsync("otel", "s1", new { population = 3, people = 20, ordersPerDay = 5, country = "SG" }, DateTimeOffset.UtcNow.AddDays(-10));
        await api.SyncAsync("otel", "s1", "orders");

        // OTLP is protobuf: metric names, span names and tag values travel as UTF-8 strings inside it.
        await Eventually.Until(() => Task.FromResult(Bodies(collector, "metrics").Any(b =>
                b.Contains("platform.sync.records") && b.Contains("platform.sync.run.duration") && b.Contains("platform.db.write_lock.held") && b.Contains("s1"))),
            TimeSpan.FromSeconds(60), () => $"no sync metrics among {Bodies(collector, "metrics").Count()} metric exports\n{host.Log}");
        // Outbox lag per merchant (our gauges) and grain counts by type (Orleans' own meter, exported).
        await Eventually.Until(() => Task.FromResult(Bodies(collector, "metrics").Any(b =>
                b.Contains("platform.outbox.pending") && b.Contains("platform.outbox.oldest_age") && b.Contains("platform.merchant") && b.Contains("otel"))),
            TimeSpan.FromSeconds(60), () => $"no outbox metrics among {Bodies(collector, "metrics").Count()} metric exports\n{host.Log}");
        // Orleans tags its grain counts with the grain type ("store" for StoreGrain): protobuf puts a length byte between key and value.
        await Eventually.Until(() => Task.FromResult(Bodies(collector, "metrics").Any(b => b.Contains("orleans-grains")
                && System.Text.RegularExpressions.Regex.IsMatch(b, "grain_type[\\x00-\\x1f]{1,8}store"))),
            TimeSpan.FromSeconds(60), () => $"no Orleans grain counts of the store grain among {Bodies(collector, "metrics").Count()} metric exports\n{host.Log}");
        await Eventually.Until(() => Task.FromResult(Bodies(collector, "traces").Any(b => b.Contains("sync run") && b.Contains("platform.store") && b.Contains("platform-host"))),
            TimeSpan.FromSeconds(60), () => $"no sync span among {Bodies(collector, "traces").Count()} trace exports\n{host.Log}");
    }

    private static IEnumerable<string> Bodies(WireMockServer collector, string signal) =>
        collector.LogEntries.Where(e => e.RequestMessage.Path == $"/v1/{signal}").Select(e => Encoding.UTF8.GetString(e.RequestMessage.BodyAsBytes ?? [])).ToList();
}
