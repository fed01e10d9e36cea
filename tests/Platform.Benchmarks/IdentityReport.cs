using System.Globalization;
using static Platform.Benchmarks.Report;

namespace Platform.Benchmarks;

/// <summary>The identity mode's results as a Markdown table, targets next to the numbers (printed, not asserted).</summary>
public static class IdentityReport
{
    public static void Print(TextWriter o, IdentityOptions options, RepoLayout layout, IdentityResult result, string loadAtStart)
    {
        var (off, on) = (result.Off, result.On);
        o.WriteLine();
        o.WriteLine($"Identity resolution benchmark: {IdentityOptions.Stores} sandbox stores sharing population {IdentityStores.Population} of {N(options.People)} people, " +
                    $"{N(options.OrdersPerDay)} orders/day each × {options.Days} days, pages of {IdentityOptions.PageSize}; " +
                    $"{Environment.ProcessorCount} cores, {layout.Configuration}, .NET {Environment.Version}");
        o.WriteLine();
        o.WriteLine("| measure | value | target |");
        o.WriteLine("|---|---:|---|");
        Row(o, "ingestion seconds, resolution off (first sync → last run finished)", S(off.Ingestion), "");
        Row(o, $"ingestion seconds, resolution on (first sync → {on.EndedWhen})", S(on.Ingestion), "");
        Row(o, "resolution overhead (on − off) / off", P(result.Overhead), "≤ 25 %");
        Row(o, "  seconds until the last run finished, off / on", $"{S(off.UntilRunsFinished)} / {S(on.UntilRunsFinished)}", "");
        Row(o, "  events pending when the last run finished, off / on", $"{Count(off.PendingWhenRunsFinished)} / {Count(on.PendingWhenRunsFinished)}", "");
        Row(o, "orders/s, off / on", $"{N(off.Orders / off.Ingestion.TotalSeconds)} / {N(on.Orders / on.Ingestion.TotalSeconds)}", "");
        Row(o, "orders (runs inserted = GET orders total), off / on", $"{N(off.Orders)} / {N(on.Orders)}", $"about {N(options.Orders)}");
        Row(o, "customers with resolution on (GET customers total)", N(on.Customers), "about 300,000 at the default size");
        Row(o, "customers with resolution off", N(off.Customers), "");
        Row(o, "pages, off / on", $"{N(off.Runs.Sum(r => r.Pages))} / {N(on.Runs.Sum(r => r.Pages))}", "");
        if (on.Latency is { } latency)
        {
            Latency(o, "GET customers?q=<email>, ms", latency.ByEmail, LatencyHarness.Measured, "p95 < 50 ms");
            Latency(o, "GET customers?q=<3–5 chars of a name>, ms", latency.ByPartialName, LatencyHarness.Measured, "p95 < 50 ms");
            Latency(o, "GET customers/{id} (profile), ms", latency.Profile, LatencyHarness.Measured, "p95 < 30 ms");
            Row(o, "email searches without their customer on the first page", $"{N(latency.EmailMisses)} of {N(latency.ByEmail.Requests)}", "0");
            Row(o, "email searches answering other customers as well", $"{N(latency.EmailAnswersWithOthers)} of {N(latency.ByEmail.Requests)}", "");
            Row(o, "customers sampled for the requests", N(latency.SampledCustomers), "");
        }
        Row(o, "host peak RSS (VmHWM) after ingestion, off / on", $"{M(off.PeakRssAfterIngestion)} / {M(on.PeakRssAfterIngestion)}", "");
        Row(o, "host peak RSS (VmHWM) at the end, off / on", $"{M(off.PeakRss)} / {M(on.PeakRss)}", "");
        Row(o, "host start-up until ready, s, off / on", $"{S(off.StartUp)} / {S(on.StartUp)}", "");
        Row(o, "total wall time, s", S(result.Wall), "");
        Row(o, "cores", N(Environment.ProcessorCount), "");
        Row(o, "load average (1/5/15 min) at start → end", $"{loadAtStart} → {LoadAverage()}", "other processes compete for the cores when high");
        o.WriteLine();
        if (on.Latency is { MissedEmails.Count: > 0 } missed)
        {
            o.WriteLine("Email searches without their customer (first few):");
            foreach (var line in missed.MissedEmails) o.WriteLine($"- {line}");
            o.WriteLine();
        }
    }

    /// <summary>One row per kind; the number of requests only when the time budget cut the kind short.</summary>
    private static void Latency(TextWriter o, string measure, LatencyStats s, int planned, string target) =>
        Row(o, $"{measure}: p50 / p95 / p99 / max",
            $"{Ms(s.P50)} / {Ms(s.P95)} / {Ms(s.P99)} / {Ms(s.Max)}{(s.Requests < planned ? $" ({N(s.Requests)} of {N(planned)} requests)" : "")}", target);

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
    private static string Count(int? n) => n is { } v ? N(v) : "n/a";
}
