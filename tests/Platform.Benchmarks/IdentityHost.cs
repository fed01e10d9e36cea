using System.Diagnostics;
using System.Globalization;

namespace Platform.Benchmarks;

/// <summary>What one host of the identity mode did, measured from outside through its REST API.</summary>
public sealed record IdentityHostResult(
    bool Resolution,
    IReadOnlyList<RunInfo> Runs,
    int Orders,
    int Customers,
    TimeSpan UntilRunsFinished,
    TimeSpan Ingestion,
    int? PendingWhenRunsFinished,
    string EndedWhen,
    TimeSpan StartUp,
    long? PeakRssAfterIngestion,
    long? PeakRss,
    LatencyResult? Latency);

/// <summary>
/// One host of the identity mode: start it (resolution on or off), create merchant <c>bench</c> and stores s1–s3,
/// sync their orders one store after another, and time from the first POST sync until ingestion is over: with
/// resolution on, until the profiles caught up (pendingEvents = 0); with it off, until the last run finished,
/// since nothing then has to drain the buyer changes. With resolution on, the latency harness runs afterwards.
/// </summary>
public sealed class IdentityHost(RepoLayout layout, IdentityStores stores, TextWriter log)
{
    /// <summary>The switch the host reads; absent means on. Older hosts ignore the unknown key (and resolve anyway).</summary>
    private const string ResolutionOff = "--Platform:Identity:Enabled=false";

    /// <summary>Far longer than one identity batch takes even at a million orders; a resolution stuck this long fails the run.</summary>
    private static readonly TimeSpan StallTimeout = TimeSpan.FromMinutes(5);

    public async Task<IdentityHostResult> RunAsync(bool resolution, CancellationToken ct)
    {
        var startUp = Stopwatch.StartNew();
        await using var host = HostRunner.Start(layout, resolution ? [] : [ResolutionOff]);
        using var api = new ApiClient(host.BaseAddress, HostRunner.AdminKey);
        var waiter = new SyncWaiter(api, host, log);
        try
        {
            await host.WaitReadyAsync(api, TimeSpan.FromMinutes(2), ct);
            startUp.Stop();
            log.WriteLine($"host ready in {startUp.Elapsed.TotalSeconds:0.0} s (pid {host.Pid}, {host.BaseAddress}), identity resolution {(resolution ? "on" : "off")}");

            await api.CreateMerchantAsync(BenchStore.MerchantId, "Bench", BenchStore.Currency, ct);
            foreach (var store in IdentityStores.StoreIds)
                await api.PutStoreAsync(BenchStore.MerchantId, store, stores.StoreRequest(store), ct);
            log.WriteLine($"stores {BenchStore.MerchantId}/{string.Join(", ", IdentityStores.StoreIds)}: since {stores.Since:yyyy-MM-dd}, closedOn {stores.ClosedOn:yyyy-MM-dd}, settings {stores.Settings().ToJsonString()}");

            var clock = Stopwatch.StartNew();
            var runs = new List<RunInfo>();
            foreach (var store in IdentityStores.StoreIds)
                runs.Add(await SyncAsync(api, waiter, host, store, clock, log, ct));
            var untilRuns = clock.Elapsed;
            var pendingAtRunsEnd = await api.TryPendingEventsAsync(BenchStore.MerchantId, ct);
            log.WriteLine($"all runs finished after {untilRuns.TotalSeconds:0.00} s; pendingEvents {pendingAtRunsEnd?.ToString(CultureInfo.InvariantCulture) ?? "not reported"}");

            var endedWhen = await WaitIngestedAsync(waiter, resolution, pendingAtRunsEnd, ct);
            var ingestion = clock.Elapsed;
            clock.Stop();
            log.WriteLine($"ingestion over after {ingestion.TotalSeconds:0.00} s ({endedWhen})");
            var peakAfterIngestion = ProcMemory.Peak(host.Pid);

            var orders = await api.OrdersTotalAsync(BenchStore.MerchantId, ct);
            var inserted = runs.Sum(r => r.Inserted);
            if (orders != inserted)
                throw new BenchmarkException($"GET orders total is {orders} but the runs inserted {inserted}");
            if (orders == 0)
                throw new BenchmarkException($"the runs inserted no orders: check the window (since {stores.Since:O}, closedOn {stores.ClosedOn})");
            var customers = await api.CustomersTotalAsync(BenchStore.MerchantId, ct);
            log.WriteLine($"{orders} orders, {customers} customers");

            var latency = resolution ? await new LatencyHarness(api, waiter, log).RunAsync(ct) : null;
            return new IdentityHostResult(resolution, runs, orders, customers, untilRuns, ingestion, pendingAtRunsEnd, endedWhen,
                startUp.Elapsed, peakAfterIngestion, ProcMemory.Peak(host.Pid), latency);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw new BenchmarkException($"the identity run timed out.{Environment.NewLine}Host log tail:{Environment.NewLine}{host.LogTail()}");
        }
    }

    /// <summary>POST sync of the store's orders, then waits for that run (the stores sync one after another, not at once).</summary>
    internal static async Task<RunInfo> SyncAsync(ApiClient api, SyncWaiter waiter, HostRunner host, string store, Stopwatch clock, TextWriter log, CancellationToken ct)
    {
        var runId = await api.StartSyncAsync(BenchStore.MerchantId, store, "orders", ct);
        log.WriteLine($"sync of {store} started at {clock.Elapsed.TotalSeconds:0.00} s: run {runId}");
        var run = await waiter.RunFinishedAsync(store, runId, ct);
        if (run.Status != "succeeded")
            throw new BenchmarkException($"run {run.Id} of {store} ended '{run.Status}' after {run.Pages} page(s): {run.Error ?? "(no error given)"}{Environment.NewLine}Host log tail:{Environment.NewLine}{host.LogTail()}");
        log.WriteLine($"run {run.Id} of {store} {run.Status} at {clock.Elapsed.TotalSeconds:0.00} s: {run.Pages} pages, read {run.Read}, inserted {run.Inserted}, updated {run.Updated}");
        return run;
    }

    /// <summary>
    /// Waits for the end of ingestion after the last run and says what ended it. Resolution off: nothing to wait
    /// for, whatever pendingEvents says (the changes may stay queued). On: until pendingEvents is 0, unless the host
    /// does not report it.
    /// </summary>
    private static async Task<string> WaitIngestedAsync(SyncWaiter waiter, bool resolution, int? pending, CancellationToken ct)
    {
        if (!resolution) return "last run finished; resolution off";
        if (pending is not { } count) return "last run finished; the host reports no pendingEvents";
        await waiter.ProfilesCaughtUpAsync(count, ct, StallTimeout);
        return "profiles caught up: pendingEvents 0";
    }
}
