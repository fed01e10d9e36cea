using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Platform.Benchmarks;

/// <summary>Latency of one kind of request, in milliseconds (nearest-rank percentiles).</summary>
public sealed record LatencyStats(string Kind, int Requests, double P50, double P95, double P99, double Max)
{
    public static LatencyStats Of(string kind, IReadOnlyCollection<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new LatencyStats(kind, sorted.Length, At(0.50), At(0.95), At(0.99), sorted[^1]);
    }
}

/// <summary>The latency harness's results, and whether the email searches found the customer whose email they were.</summary>
public sealed record LatencyResult(
    LatencyStats ByEmail,
    LatencyStats ByPartialName,
    LatencyStats Profile,
    int SampledCustomers,
    int EmailMisses,
    int EmailAnswersWithOthers,
    IReadOnlyList<string> MissedEmails);

/// <summary>
/// Read latency as a single user sees it: one HttpClient on loopback, one request at a time, each timed from
/// sending until its whole body is read. Per kind, 50 warm-up requests (JIT, SQLite page cache, query plans), then
/// 500 measured (or as many as fit in 10 minutes): customer search by an email of a real customer, by a 3–5
/// character piece of a real customer's name, and profiles of random customers. The customers come from a few
/// pages spread over the whole list.
/// </summary>
public sealed class LatencyHarness(ApiClient api, SyncWaiter waiter, TextWriter log)
{
    private const int WarmUp = 50;
    public const int Measured = 500;
    private const int SamplePageSize = 500;
    private const int SamplePages = 4;
    /// <summary>Fixed, so that two runs on the same data send the same requests.</summary>
    private const int Seed = 20_240_917;
    private const int MaxMissesListed = 5;
    /// <summary>
    /// Measured time allowed per kind: a slow search (one that scans every customer takes seconds at 300,000
    /// customers) repeated 500 times would hold the machine for most of an hour; the percentiles of the requests
    /// measured until then already tell whether the target is met.
    /// </summary>
    private static readonly TimeSpan BudgetPerKind = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private static readonly string Customers = $"api/v1/merchants/{BenchStore.MerchantId}/customers";

    /// <summary>A request to time, and what to check in its answer (measured requests only).</summary>
    private sealed record Probe(string Path, Action<string>? Check = null);

    public async Task<LatencyResult> RunAsync(CancellationToken ct)
    {
        var sample = await SampleAsync(ct);
        var random = new Random(Seed);

        var withEmail = sample.Where(c => !string.IsNullOrWhiteSpace(c.Email)).ToList();
        if (withEmail.Count == 0) throw new BenchmarkException($"none of the {sample.Count} sampled customers has an email");
        var emails = new EmailCheck();
        var byEmail = await MeasureAsync("q=<email>", Pick(withEmail, random)
            .Select(c => new Probe($"{Customers}?q={Uri.EscapeDataString(c.Email!)}", body => emails.Check(c, body))).ToList(), ct);

        var names = sample.Where(c => c.Name?.Trim().Length >= 3).Select(c => c.Name!.Trim()).ToList();
        if (names.Count == 0) throw new BenchmarkException($"none of the {sample.Count} sampled customers has a name of 3 characters or more");
        var byName = await MeasureAsync("q=<partial name>", Pick(names, random)
            .Select(name => new Probe($"{Customers}?q={Uri.EscapeDataString(PartOf(name, random))}")).ToList(), ct);

        var profile = await MeasureAsync("profile", Pick(sample, random)
            .Select(c => new Probe($"{Customers}/{Uri.EscapeDataString(c.Id)}")).ToList(), ct);

        return new LatencyResult(byEmail, byName, profile, sample.Count, emails.Misses, emails.WithOthers, emails.Missed);
    }

    /// <summary>Up to <see cref="SamplePages"/> pages of 500 customers, spread evenly from the first page to the last.</summary>
    private async Task<IReadOnlyList<CustomerSummary>> SampleAsync(CancellationToken ct)
    {
        var first = await api.CustomersAsync(BenchStore.MerchantId, 1, SamplePageSize, ct);
        var pageCount = Math.Max(1, (first.Total + SamplePageSize - 1) / SamplePageSize);
        var pages = Enumerable.Range(0, SamplePages).Select(i => 1 + (int)((long)i * (pageCount - 1) / Math.Max(1, SamplePages - 1))).Distinct().ToList();
        var sample = new List<CustomerSummary>(first.Items);
        foreach (var page in pages.Skip(1))
            sample.AddRange((await api.CustomersAsync(BenchStore.MerchantId, page, SamplePageSize, ct)).Items);
        if (sample.Count == 0) throw new BenchmarkException("GET customers lists no customers: nothing to measure the reads with");
        log.WriteLine($"latency: {sample.Count} customers sampled from pages {string.Join(", ", pages)} of {pageCount} (pageSize {SamplePageSize})");
        return sample;
    }

    private static IEnumerable<T> Pick<T>(IReadOnlyList<T> items, Random random) =>
        Enumerable.Range(0, WarmUp + Measured).Select(_ => items[random.Next(items.Count)]);

    /// <summary>
    /// A random 3–5 character piece of <paramref name="name"/> (at least 3 characters long) that neither starts nor
    /// ends with a space, since the host trims the query and would then search for something shorter.
    /// </summary>
    private static string PartOf(string name, Random random)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var length = Math.Min(name.Length, random.Next(3, 6));
            var part = name.Substring(random.Next(name.Length - length + 1), length);
            if (part.Trim().Length == part.Length) return part;
        }
        return name[..3];
    }

    private async Task<LatencyStats> MeasureAsync(string kind, IReadOnlyList<Probe> probes, CancellationToken ct)
    {
        var milliseconds = new List<double>(Measured);
        var progress = Stopwatch.StartNew();
        var measuring = new Stopwatch();
        for (var i = 0; i < probes.Count; i++)
        {
            waiter.ThrowIfExited();
            if (i == WarmUp) measuring.Start();
            var started = Stopwatch.GetTimestamp();
            string body;
            try
            {
                body = await api.GetTextAsync(probes[i].Path, ct);
            }
            catch (BenchmarkException e)
            {
                throw waiter.WithHostState(e);
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (i < WarmUp) continue;
            milliseconds.Add(elapsed.TotalMilliseconds);
            probes[i].Check?.Invoke(body);
            if (progress.Elapsed >= ProgressInterval)
            {
                log.WriteLine($"  {kind}: {milliseconds.Count}/{Measured} measured, last {elapsed.TotalMilliseconds:0.0} ms");
                progress.Restart();
            }
            if (measuring.Elapsed >= BudgetPerKind && milliseconds.Count < Measured)
            {
                log.WriteLine($"  {kind}: stopped after {milliseconds.Count} of {Measured} measured requests ({BudgetPerKind.TotalMinutes:0} minutes)");
                break;
            }
        }
        var stats = LatencyStats.Of(kind, milliseconds);
        log.WriteLine($"latency {kind}: p50 {stats.P50:0.0} ms, p95 {stats.P95:0.0} ms, p99 {stats.P99:0.0} ms, max {stats.Max:0.0} ms over {stats.Requests} requests");
        return stats;
    }

    /// <summary>Counts the email searches whose first page of answers lacks the customer the email was taken from.</summary>
    private sealed class EmailCheck
    {
        private readonly List<string> _missed = [];

        public int Misses { get; private set; }

        /// <summary>Searches that found the customer but others as well (a substring match on the email).</summary>
        public int WithOthers { get; private set; }

        public IReadOnlyList<string> Missed => _missed;

        public void Check(CustomerSummary expected, string body)
        {
            var ids = (JsonNode.Parse(body)?["items"]?.AsArray() ?? []).Select(item => item?["id"]?.GetValue<string>()).ToList();
            if (!ids.Contains(expected.Id))
            {
                Misses++;
                if (_missed.Count < MaxMissesListed) _missed.Add($"{expected.Email} → {expected.Id} (answered: {string.Join(", ", ids.Take(5))})");
            }
            else if (ids.Count > 1)
            {
                WithOthers++;
            }
        }
    }
}
