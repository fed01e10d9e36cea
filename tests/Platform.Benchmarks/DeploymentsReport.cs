using static Platform.Benchmarks.Report;

namespace Platform.Benchmarks;

/// <summary>The three deployments side by side, as one Markdown table.</summary>
public static class DeploymentsReport
{
    public static void Print(TextWriter o, DeploymentsOptions options, RepoLayout layout, string postgresVersion, IReadOnlyList<DeploymentResult> results,
        string loadAtStart, TimeSpan total)
    {
        var s = options.Store;
        o.WriteLine();
        o.WriteLine($"Deployments benchmark: sandbox store, {N(s.OrdersPerDay)} orders/day × {s.Days} days, {N(s.People)} people, pages of {s.PageSize}; " +
                    $"{options.Readers} concurrent readers on loopback during each backfill; PostgreSQL {postgresVersion} ({PostgresServer.Settings}); " +
                    $"{Environment.ProcessorCount} cores, {layout.Configuration}, .NET {Environment.Version}; {total.TotalMinutes:0.0} minutes in all");
        o.WriteLine();
        o.WriteLine($"| measure | {string.Join(" | ", results.Select(r => r.Spec.Name))} |");
        o.WriteLine($"|---|{string.Join("", results.Select(_ => "---:|"))}");
        Line(o, results, "**orders/s end to end** (POST sync → profiles caught up), under the read load", r => "**" + N(r.OrdersPerSecond) + "**");
        Line(o, results, "run-only orders/s (POST sync → run finished)", r => N(r.Orders / r.UntilRunFinished.TotalSeconds));
        Line(o, results, "seconds end to end", r => S(r.UntilProfilesCaughtUp));
        Line(o, results, "  seconds until the run finished", r => S(r.UntilRunFinished));
        Line(o, results, "  events pending when the run finished", r => N(r.PendingEventsWhenRunFinished));
        Line(o, results, "orders (run inserted = GET orders total)", r => N(r.Orders));
        Line(o, results, "customers (GET customers total)", r => N(r.Customers));
        Line(o, results, "**read p95, ms** (all reads during the backfill)", r => "**" + Ms(r.Reads.All?.P95) + "**");
        Line(o, results, "read p50 / p99 / max, ms", r => $"{Ms(r.Reads.All?.P50)} / {Ms(r.Reads.All?.P99)} / {Ms(r.Reads.All?.Max)}");
        foreach (var kind in new[] { "list", "search", "profile" })
            Line(o, results, Label(kind) + " p50 / p95 / p99, ms", r => r.Reads.ByKind.FirstOrDefault(k => k.Kind == kind) is { } k ? $"{Ms(k.P50)} / {Ms(k.P95)} / {Ms(k.P99)}" : "n/a");
        Line(o, results, "read requests (answered 200 / errors / 404 merged)", r => $"{N(r.Reads.Requests)} ({N(r.Reads.All?.Requests ?? 0)} / {N(r.Reads.Errors)} / {N(r.Reads.NotFound)})");
        Line(o, results, "reads/s", r => N(r.Reads.RequestsPerSecond));
        Line(o, results, "concurrent readers × hosts read from", r => $"{r.Reads.Readers} × {r.Spec.Hosts}");
        Line(o, results, "backfill ran on", r => r.RanOn ?? "host 1");
        Line(o, results, "host peak RSS (VmHWM)", r => string.Join(" + ", r.PeakRssBytes.Select(M)));
        Line(o, results, "start-up until ready, s", r => S(r.StartUp));
        Line(o, results, "pages", r => N(r.Run.Pages));
        o.WriteLine($"| load average (1/5/15 min) at start → end | {loadAtStart} → {LoadAverage()} |{string.Join("", results.Skip(1).Select(_ => " |"))}");
        o.WriteLine();
    }

    private static string Label(string kind) => kind switch
    {
        "list" => "  GET customers (page 1–5 of 25)",
        "search" => "  GET customers?q=<3–5 chars of a name>",
        _ => "  GET customers/{id} (profile)",
    };

    private static void Line(TextWriter o, IReadOnlyList<DeploymentResult> results, string measure, Func<DeploymentResult, string> value) =>
        o.WriteLine($"| {measure} | {string.Join(" | ", results.Select(value))} |");

    private static string Ms(double? ms) => ms is { } v ? v.ToString(v >= 100 ? "0" : "0.0", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
