using System.Globalization;
using System.Text;
using Platform.Host.Tests.Support;
using Platform.Plugins.MercadoLibre.Tests;
using Platform.Plugins.Testing;
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

    [Fact]
    public async Task A_scheduled_sync_is_one_trace_from_the_job_through_the_store_grain_and_the_marketplace_calls_to_the_database_writes()
    {
        using var collector = WireMockServer.Start();
        collector.Given(Request.Create().WithPath("/v1/traces").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        collector.Given(Request.Create().WithPath("/v1/metrics").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var now = DateTimeOffset.UtcNow;
        var meli = new MercadoLibreFake
        {
            Items = [.. Enumerable.Range(1, 30).Select(n => new SampleItem(n, now.AddDays(-n % 9).AddHours(-2), now.AddDays(-n % 9).AddHours(-1)))],
        };
        using var marketplace = new FaultyMarketplace(meli);
        await using var host = new HostProcess(TestPaths.NewTempDirectory("otel-trace"), new Dictionary<string, string>
        {
            ["Platform:Telemetry:OtlpEndpoint"] = collector.Url!,
            ["Platform:Telemetry:ExportIntervalSeconds"] = "1",
        });
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync("trace", "ARS");
        await api.PutMercadoLibreStoreAsync("trace", marketplace.Url, now.AddDays(-30), schedules: new { orders = "0/2 * * * * ?" }); // Quartz fires the job every 2 s

        // One trace holds the job, the store grain's call, the run, the marketplace calls and the database writes,
        // each below the one before (followed through parent span ids).
        string? missing = "no trace yet";
        await Eventually.Until(() =>
        {
            var spans = collector.LogEntries.Where(e => e.RequestMessage.Path == "/v1/traces").SelectMany(e => Otlp.Spans(e.RequestMessage.BodyAsBytes ?? [])).ToList();
            var byId = spans.GroupBy(x => x.SpanId).ToDictionary(g => g.Key, g => g.First());
            bool Under(Otlp.Span span, Otlp.Span ancestor)
            {
                for (var at = span; byId.TryGetValue(at.ParentId, out var parent); at = parent)
                    if (parent.SpanId == ancestor.SpanId) return true;
                return false;
            }
            foreach (var job in spans.Where(x => x.Name == "sync job"))
            {
                var run = spans.FirstOrDefault(x => x.Name == "sync run" && x.TraceId == job.TraceId && Under(x, job));
                if (run is null) { missing = "no sync run under a sync job"; continue; }
                var grain = byId.GetValueOrDefault(run.ParentId);
                if (grain is null || !grain.Name.Contains("StoreGrain", StringComparison.OrdinalIgnoreCase) || !Under(grain, job))
                {
                    missing = $"the run's parent is not the store grain's call under the job: {grain?.Name ?? "(none)"}";
                    continue;
                }
                if (!spans.Any(x => x.Name.StartsWith("GET", StringComparison.Ordinal) && Under(x, run))) { missing = "no marketplace GET under the run"; continue; }
                if (!spans.Any(x => x.Name == "db write" && Under(x, run))) { missing = "no db write under the run"; continue; }
                return Task.FromResult(true);
            }
            return Task.FromResult(false);
        }, TimeSpan.FromSeconds(90), () => $"{missing}\n{host.Log}");
    }

    /// <summary>
    /// Just enough of OTLP's protobuf to follow a trace: ExportTraceServiceRequest → resource_spans (1) → scope_spans (2)
    /// → spans (2), each with trace_id (1), span_id (2), parent_span_id (4) and name (5).
    /// </summary>
    private static class Otlp
    {
        public sealed record Span(string TraceId, string SpanId, string ParentId, string Name);

        public static IEnumerable<Span> Spans(byte[] request) =>
            from resource in Fields(request, 1)
            from scope in Fields(resource, 2)
            from span in Fields(scope, 2)
            let f = Message(span).ToLookup(x => x.Number, x => x.Value)
            select new Span(Convert.ToHexString(f[1].FirstOrDefault() ?? []), Convert.ToHexString(f[2].FirstOrDefault() ?? []),
                Convert.ToHexString(f[4].FirstOrDefault() ?? []), Encoding.UTF8.GetString(f[5].FirstOrDefault() ?? []));

        private static IEnumerable<byte[]> Fields(byte[] message, int number) => Message(message).Where(x => x.Number == number).Select(x => x.Value);

        /// <summary>The message's length-delimited fields (the others are skipped).</summary>
        private static List<(int Number, byte[] Value)> Message(byte[] m)
        {
            var fields = new List<(int, byte[])>();
            var i = 0;
            while (i < m.Length)
            {
                var key = Varint(m, ref i);
                switch (key & 7)
                {
                    case 0: Varint(m, ref i); break;
                    case 1: i += 8; break;
                    case 5: i += 4; break;
                    case 2:
                        var length = (int)Varint(m, ref i);
                        fields.Add(((int)(key >> 3), m[i..(i + length)]));
                        i += length;
                        break;
                    default: throw new FormatException($"protobuf wire type {key & 7} at byte {i}");
                }
            }
            return fields;
        }

        private static ulong Varint(byte[] m, ref int i)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = m[i++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
        }
    }

    private static IEnumerable<string> Bodies(WireMockServer collector, string signal) =>
        collector.LogEntries.Where(e => e.RequestMessage.Path == $"/v1/{signal}").Select(e => Encoding.UTF8.GetString(e.RequestMessage.BodyAsBytes ?? [])).ToList();
}
