using System.Globalization;

namespace Platform.Benchmarks;

/// <summary>The results as a Markdown table, with the targets next to the numbers (printed, not asserted).</summary>
public static class Report
{
    private const double MiB = 1024 * 1024;

    public static void Print(TextWriter o, BenchOptions options, RepoLayout layout, EndToEndResult e2e, FloorResult floor, string loadAtStart)
    {
        var ratio = e2e.OrdersPerSecond / floor.OrdersPerSecond;
        o.WriteLine();
        o.WriteLine($"Ingestion benchmark: sandbox store, {N(options.OrdersPerDay)} orders/day × {options.Days} days, {N(options.People)} people, pages of {options.PageSize}; " +
                    $"{Environment.ProcessorCount} cores, {layout.Configuration}, .NET {Environment.Version}");
        o.WriteLine();
        o.WriteLine("| measure | value | target |");
        o.WriteLine("|---|---:|---|");
        Row(o, "end-to-end orders/s (sync → rows committed → profiles up to date)", N(e2e.OrdersPerSecond), "well above 5,000");
        Row(o, "floor orders/s (serialize + parse + SQLite write)", N(floor.OrdersPerSecond), "");
        Row(o, "ratio end-to-end / floor", P(ratio), "≥ 30 %");
        Row(o, "orders (run inserted = GET orders total)", N(e2e.Orders), "");
        Row(o, "customers (GET customers total)", N(e2e.Customers), "");
        Row(o, "pages", N(e2e.Run.Pages), "");
        Row(o, "seconds end to end", S(e2e.UntilProfilesCaughtUp), "");
        Row(o, "  seconds until the run finished", S(e2e.UntilRunFinished), "");
        Row(o, "  seconds after it until profiles caught up", S(e2e.UntilProfilesCaughtUp - e2e.UntilRunFinished), "");
        Row(o, "  events pending when the run finished", N(e2e.PendingEventsWhenRunFinished), "");
        Row(o, "run-only orders/s (sync → run finished)", N(e2e.Orders / e2e.UntilRunFinished.TotalSeconds), "");
        Row(o, "host peak RSS (VmHWM)", M(e2e.PeakRssBytes), "< 1,024 MiB");
        Row(o, "host max RSS sampled every 200 ms during the run", M(e2e.SampledMaxRssBytes), "");
        Row(o, "host start-up until ready, s", S(e2e.StartUp), "");
        Row(o, "floor orders / lines / pages", $"{N(floor.Orders)} / {N(floor.Lines)} / {N(floor.Pages)}", "");
        Row(o, "floor seconds (serialize + parse + write)", S(floor.Ingestion), "");
        Row(o, "floor sandbox generation seconds (not in the floor)", S(floor.Generation), "");
        Row(o, "floor page payloads, MiB", M(floor.PageBytes), "");
        Row(o, "floor allocated while ingesting, MiB", M(floor.AllocatedBytes), "");
        Row(o, "harness peak managed heap (floor)", M(floor.PeakManagedBytes), "");
        Row(o, "harness peak RSS (VmHWM)", M(floor.PeakRssBytes), "");
        Row(o, "cores", N(Environment.ProcessorCount), "");
        Row(o, "load average (1/5/15 min) at start → end", $"{loadAtStart} → {LoadAverage()}", "other processes compete for the cores when high");
        o.WriteLine();
    }

    /// <summary>The first three fields of /proc/loadavg, or n/a.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    // Table formatting, shared with IdentityReport.
    internal static void Row(TextWriter o, string measure, string value, string target) => o.WriteLine($"| {measure} | {value} | {target} |");
    internal static string N(double v) => v.ToString(v >= 100 || v == Math.Floor(v) ? "N0" : "N2", CultureInfo.InvariantCulture);
    internal static string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
    internal static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
    internal static string M(long? bytes) => bytes is { } b ? (b / MiB).ToString("N0", CultureInfo.InvariantCulture) + " MiB" : "n/a";
}
