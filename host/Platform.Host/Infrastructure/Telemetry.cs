using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.Host.Storage;

namespace Platform.Host.Infrastructure;

/// <summary>
/// The host's own metrics and traces (<c>Platform.Host</c>): records synced by store, stream and outcome, run durations
/// and failures, the database write lock (<see cref="WriteGate"/>), connector retries and 429s
/// (<c>Platform.Http.ConnectorMetrics</c>); spans for a scheduled sync job, each run around its HTTP calls, and each
/// database write.
/// </summary>
public static class PlatformTelemetry
{
    public const string Name = WriteGate.MeterName;
    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Records = Meter.CreateCounter<long>("platform.sync.records", "{record}",
        "Records a sync read, by merchant, store, stream and outcome (inserted, updated, skipped)");
    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("platform.sync.run.duration", "s",
        "How long a sync run took, by store, stream and status");
    public static readonly Counter<long> RunFailures = Meter.CreateCounter<long>("platform.sync.run.failures", "{run}",
        "Sync runs that failed, by store and stream");
}

/// <summary>
/// <c>Platform:Telemetry</c>: where metrics and traces go (OTLP). Without an endpoint nothing is exported; the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables work too once an endpoint is set here.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The meter Orleans reports its metrics on (grain counts by type, activations, messaging).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The OTLP collector, e.g. <c>http://otel-collector:4318</c> (http/protobuf) or <c>http://otel-collector:4317</c> (grpc).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    public string Protocol { get; set; } = "http/protobuf";

    /// <summary>How often metrics are exported.</summary>
    public int ExportIntervalSeconds { get; set; } = 30;

    /// <summary>The service name on every metric and span.</summary>
    public string ServiceName { get; set; } = "platform-host";

    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return $"Platform:Telemetry:OtlpEndpoint '{OtlpEndpoint}' is not an http(s) URL: e.g. http://otel-collector:4318.";
        if (Protocol is not ("http/protobuf" or "grpc"))
            yield return $"Platform:Telemetry:Protocol is '{Protocol}': use 'http/protobuf' or 'grpc'.";
        if (ExportIntervalSeconds is < 1 or > 3600)
            yield return $"Platform:Telemetry:ExportIntervalSeconds is {ExportIntervalSeconds}: use 1 to 3600.";
        if (string.IsNullOrWhiteSpace(ServiceName))
            yield return "Platform:Telemetry:ServiceName is empty: name the service, e.g. platform-host.";
    }

    public static WebApplicationBuilder AddPlatformTelemetry(WebApplicationBuilder builder)
    {
        var o = PlatformOptions.AtBuild(builder.Configuration).Telemetry;
        if (string.IsNullOrWhiteSpace(o.OtlpEndpoint) || o.Problems().Any()) return builder; // the validator stops the host with the problems
        var protocol = o.Protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        var endpoint = o.OtlpEndpoint.TrimEnd('/');
        void Exporter(OtlpExporterOptions e, string signal)
        {
            e.Protocol = protocol;
            // http/protobuf takes one URL per signal; grpc one for all.
            e.Endpoint = new Uri(protocol == OtlpExportProtocol.Grpc ? endpoint : $"{endpoint}/v1/{signal}");
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(o.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            // Microsoft.Orleans: Orleans' own metrics, among them grain counts by type (orleans-grains) and activations.
            .WithMetrics(m => m.AddMeter(PlatformTelemetry.Name, OrleansMeter).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                .AddOtlpExporter((e, reader) =>
                {
                    Exporter(e, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = o.ExportIntervalSeconds * 1000;
                }))
            // Our spans (sync job, sync run, db write), grain calls (Orleans' application source), PostgreSQL commands
            // (Npgsql's own source), API requests and the connectors' HTTP calls: one trace from a job to the database.
            .WithTracing(t => t.AddSource(PlatformTelemetry.Name, Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName, "Npgsql")
                .AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddOtlpExporter(e => Exporter(e, "traces")));
        builder.Services.AddHostedService<OutboxMetrics>();
        return builder;
    }
}
