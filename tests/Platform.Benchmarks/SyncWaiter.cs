using System.Diagnostics;
using System.Globalization;

namespace Platform.Benchmarks;

/// <summary>
/// Waits, by polling the REST API of merchant <c>bench</c>, until a run finished and until the profiles caught up
/// (pendingEvents = 0); logs progress every 10 s and fails as soon as the host exits.
/// </summary>
public sealed class SyncWaiter(ApiClient api, HostRunner host, TextWriter log)
{
    /// <summary>Often enough for ±0.2 s on runs of tens of seconds, rarely enough not to load the host (each poll is a query).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <summary>Polls the run until it is no longer running; every 10 s logs its progress (pages, inserted, pending events, RSS).</summary>
    public async Task<RunInfo> RunFinishedAsync(string store, long runId, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        var lastInserted = 0;
        while (true)
        {
            ThrowIfExited();
            var run = await api.GetRunAsync(BenchStore.MerchantId, store, runId, ct);
            if (run.Status != "running") return run;
            if (progress.Elapsed >= ProgressInterval)
            {
                var pending = await api.TryPendingEventsAsync(BenchStore.MerchantId, ct);
                var rate = (run.Inserted - lastInserted) / progress.Elapsed.TotalSeconds;
                log.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0.0} s: {run.Pages} pages, {run.Inserted} inserted ({rate:0} orders/s over the last {progress.Elapsed.TotalSeconds:0} s), " +
                              $"{pending?.ToString(CultureInfo.CurrentCulture) ?? "n/a"} events pending, RSS {ProcMemory.Rss(host.Pid) / (1024 * 1024) ?? 0} MiB");
                lastInserted = run.Inserted;
                progress.Restart();
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <summary>
    /// Polls pendingEvents until it is 0, starting from <paramref name="pending"/> (the last value read). With a
    /// <paramref name="stallTimeout"/>, fails once pendingEvents has not gone down for that long (resolution stuck,
    /// e.g. a batch failing and retried forever), with the host's log, instead of waiting for the overall timeout.
    /// </summary>
    public async Task ProfilesCaughtUpAsync(int pending, CancellationToken ct, TimeSpan? stallTimeout = null)
    {
        var progress = Stopwatch.StartNew();
        var sinceLower = Stopwatch.StartNew();
        var lowest = pending;
        while (pending > 0)
        {
            ThrowIfExited();
            await Task.Delay(PollInterval, ct);
            pending = await api.PendingEventsAsync(BenchStore.MerchantId, ct);
            if (progress.Elapsed >= ProgressInterval)
            {
                log.WriteLine($"  {pending} events pending");
                progress.Restart();
            }
            if (pending < lowest)
            {
                lowest = pending;
                sinceLower.Restart();
            }
            else if (sinceLower.Elapsed >= stallTimeout)
            {
                throw new BenchmarkException($"pendingEvents has stayed at {lowest} or more for {sinceLower.Elapsed.TotalSeconds:0} s: identity resolution is stuck.{Environment.NewLine}" +
                                             $"Host log tail:{Environment.NewLine}{host.LogTail()}");
            }
        }
    }

    /// <summary><paramref name="failure"/> of a request, with what the host was doing: whether it is still running, and its log.</summary>
    public BenchmarkException WithHostState(BenchmarkException failure) =>
        new($"{failure.Message}{Environment.NewLine}The host is {host.State}. Host log tail:{Environment.NewLine}{host.LogTail()}");

    public void ThrowIfExited()
    {
        if (host.HasExited)
            throw new BenchmarkException($"the host exited during the run.{Environment.NewLine}Host log tail:{Environment.NewLine}{host.LogTail()}");
    }
}
