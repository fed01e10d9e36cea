using System.Diagnostics;

namespace Platform.Benchmarks;

/// <summary>What the host did, measured from outside through its REST API.</summary>
public sealed record EndToEndResult(
    RunInfo Run,
    int Orders,
    int Customers,
    TimeSpan UntilRunFinished,
    TimeSpan UntilProfilesCaughtUp,
    int PendingEventsWhenRunFinished,
    TimeSpan StartUp,
    long? PeakRssBytes,
    long SampledMaxRssBytes)
{
    /// <summary>Orders per second from POST sync to profiles up to date (connector → committed rows → profiles).</summary>
    public double OrdersPerSecond => Orders / UntilProfilesCaughtUp.TotalSeconds;
}

/// <summary>
/// End to end through the real host: start it, create the merchant and the store, sync the orders stream, wait
/// until the run finished and the profiles caught up (pendingEvents = 0), check the counts, read its peak memory.
/// </summary>
public sealed class EndToEnd(RepoLayout layout, BenchStore store, TextWriter log)
{
    public async Task<EndToEndResult> RunAsync(CancellationToken ct)
    {
        var startUp = Stopwatch.StartNew();
        await using var host = HostRunner.Start(layout);
        using var api = new ApiClient(host.BaseAddress, HostRunner.AdminKey);
        var waiter = new SyncWaiter(api, host, log);
        try
        {
            await host.WaitReadyAsync(api, TimeSpan.FromMinutes(2), ct);
            startUp.Stop();
            log.WriteLine($"host ready in {startUp.Elapsed.TotalSeconds:0.0} s (pid {host.Pid}, {host.BaseAddress})");

            await api.CreateMerchantAsync(BenchStore.MerchantId, "Bench", BenchStore.Currency, ct);
            await api.PutStoreAsync(BenchStore.MerchantId, BenchStore.StoreId, store.StoreRequest(), ct);
            log.WriteLine($"store {BenchStore.MerchantId}/{BenchStore.StoreId}: since {store.Since:yyyy-MM-dd}, closedOn {store.ClosedOn:yyyy-MM-dd}, settings {store.SettingsJson}");

            await using var sampler = new RssSampler(host.Pid);
            var clock = Stopwatch.StartNew();
            var runId = await api.StartSyncAsync(BenchStore.MerchantId, BenchStore.StoreId, "orders", ct);
            log.WriteLine($"sync started: run {runId}");

            var run = await waiter.RunFinishedAsync(BenchStore.StoreId, runId, ct);
            var untilRun = clock.Elapsed;
            if (run.Status != "succeeded")
                throw new BenchmarkException($"run {run.Id} ended '{run.Status}' after {run.Pages} page(s): {run.Error ?? "(no error given)"}{Environment.NewLine}Host log tail:{Environment.NewLine}{host.LogTail()}");
            var pendingAtRunEnd = await api.PendingEventsAsync(BenchStore.MerchantId, ct);
            log.WriteLine($"run {run.Id} {run.Status} in {untilRun.TotalSeconds:0.00} s: {run.Pages} pages, read {run.Read}, inserted {run.Inserted}, updated {run.Updated}; {pendingAtRunEnd} events pending");

            await waiter.ProfilesCaughtUpAsync(pendingAtRunEnd, ct);
            var untilProfiles = clock.Elapsed;
            clock.Stop();
            log.WriteLine($"profiles caught up after {untilProfiles.TotalSeconds:0.00} s");

            var peak = ProcMemory.Peak(host.Pid);
            var sampled = sampler.MaxBytes;
            var customers = await api.CustomersTotalAsync(BenchStore.MerchantId, ct);
            var orders = await api.OrdersTotalAsync(BenchStore.MerchantId, ct);
            if (orders != run.Inserted)
                throw new BenchmarkException($"GET orders total is {orders} but run {run.Id} inserted {run.Inserted}");
            if (orders == 0)
                throw new BenchmarkException($"run {run.Id} inserted no orders: check the window (since {store.Since:O}, closedOn {store.ClosedOn})");
            return new EndToEndResult(run, orders, customers, untilRun, untilProfiles, pendingAtRunEnd, startUp.Elapsed, peak, sampled);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw new BenchmarkException($"the end-to-end run timed out.{Environment.NewLine}Host log tail:{Environment.NewLine}{host.LogTail()}");
        }
    }
}
