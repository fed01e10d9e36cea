using System.Diagnostics;

namespace Platform.Benchmarks;

/// <summary>One of the deployments <c>--deployments</c> compares: its database, and how many hosts form its cluster.</summary>
public sealed record DeploymentSpec(string Name, string Database, int Hosts)
{
    public static DeploymentSpec Sqlite { get; } = new("SQLite, 1 host", "sqlite", 1);
    public static DeploymentSpec Postgres { get; } = new("PostgreSQL, 1 host", "postgres", 1);
    public static DeploymentSpec PostgresCluster { get; } = new("PostgreSQL + Redis, 2 hosts", "postgres", 2);
}

/// <summary>What one deployment did: the backfill measured like <see cref="EndToEnd"/>, and the reads made meanwhile.</summary>
public sealed record DeploymentResult(
    DeploymentSpec Spec,
    RunInfo Run,
    int Orders,
    int Customers,
    TimeSpan UntilRunFinished,
    TimeSpan UntilProfilesCaughtUp,
    int PendingEventsWhenRunFinished,
    TimeSpan StartUp,
    IReadOnlyList<long?> PeakRssBytes,
    ReadLoadResult Reads,
    string? RanOn)
{
    /// <summary>Orders per second from POST sync to profiles up to date, under the read load.</summary>
    public double OrdersPerSecond => Orders / UntilProfilesCaughtUp.TotalSeconds;
}

/// <summary>
/// One deployment through the real hosts: start them (the database and Redis settings in <paramref name="hostArguments"/>,
/// per host), create the merchant and the store on the first, start the readers (5 s of warm-up), POST sync, wait
/// until the run finished and the profiles caught up, stop the readers, check the counts; the hosts are killed and
/// their data directories deleted at the end, also on failure.
/// </summary>
public sealed class Deployment(RepoLayout layout, BenchStore store, DeploymentSpec spec, int readers, Func<int, IReadOnlyList<string>> hostArguments, TextWriter log)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public async Task<DeploymentResult> RunAsync(CancellationToken ct)
    {
        var hosts = new List<HostRunner>();
        try
        {
            var startUp = Stopwatch.StartNew();
            for (var i = 0; i < spec.Hosts; i++) hosts.Add(HostRunner.Start(layout, hostArguments(i)));
            var apis = hosts.Select(h => new ApiClient(h.BaseAddress, HostRunner.AdminKey)).ToList();
            try
            {
                await Task.WhenAll(hosts.Select((h, i) => h.WaitReadyAsync(apis[i], TimeSpan.FromMinutes(3), ct)));
                startUp.Stop();
                log.WriteLine($"{spec.Name}: ready in {startUp.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", hosts.Select(h => $"pid {h.Pid} {h.BaseAddress}"))})");
                return await MeasureAsync(hosts, apis[0], startUp.Elapsed, ct);
            }
            finally
            {
                foreach (var api in apis) api.Dispose();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw new BenchmarkException($"{spec.Name}: timed out.{Environment.NewLine}{Logs(hosts)}");
        }
        catch (BenchmarkException e) when (hosts.Count > 1)
        {
            // SyncWaiter reports the first host's log only.
            throw new BenchmarkException($"{spec.Name}: {e.Message}{Environment.NewLine}{Logs(hosts.Skip(1))}");
        }
        catch (BenchmarkException e)
        {
            throw new BenchmarkException($"{spec.Name}: {e.Message}");
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }

    private async Task<DeploymentResult> MeasureAsync(List<HostRunner> hosts, ApiClient api, TimeSpan startUp, CancellationToken ct)
    {
        var first = hosts[0];
        var waiter = new SyncWaiter(api, first, log);
        await api.CreateMerchantAsync(BenchStore.MerchantId, "Bench", BenchStore.Currency, ct);
        await api.PutStoreAsync(BenchStore.MerchantId, BenchStore.StoreId, store.StoreRequest(), ct);

        await using var load = new ReadLoad(hosts.Select(h => h.BaseAddress).ToList(), readers, HostRunner.AdminKey);
        load.Start();
        await Task.Delay(WarmUp, ct);
        ThrowIfAnyExited(hosts);

        load.StartMeasuring();
        var clock = Stopwatch.StartNew();
        var runId = await api.StartSyncAsync(BenchStore.MerchantId, BenchStore.StoreId, "orders", ct);
        log.WriteLine($"{spec.Name}: sync started (run {runId}) with {readers} readers on {hosts.Count} host(s)");

        var run = await waiter.RunFinishedAsync(BenchStore.StoreId, runId, ct);
        var untilRun = clock.Elapsed;
        if (run.Status != "succeeded")
            throw new BenchmarkException($"run {run.Id} ended '{run.Status}' after {run.Pages} page(s): {run.Error ?? "(no error given)"}{Environment.NewLine}{Logs(hosts)}");
        var pendingAtRunEnd = await api.PendingEventsAsync(BenchStore.MerchantId, ct);
        log.WriteLine($"{spec.Name}: run {run.Id} {run.Status} in {untilRun.TotalSeconds:0.00} s: {run.Pages} pages, inserted {run.Inserted}; {pendingAtRunEnd} events pending");

        await waiter.ProfilesCaughtUpAsync(pendingAtRunEnd, ct, stallTimeout: TimeSpan.FromMinutes(3));
        var untilProfiles = clock.Elapsed;
        var reads = await load.StopAsync();
        ThrowIfAnyExited(hosts);
        log.WriteLine($"{spec.Name}: profiles caught up after {untilProfiles.TotalSeconds:0.00} s; {reads.Requests} reads ({reads.Errors} errors, {reads.NotFound} 404), " +
                      $"p95 {reads.All?.P95:0.0} ms");
        foreach (var error in reads.FirstErrors) log.WriteLine($"  read error: {error}");

        var peaks = hosts.Select(h => ProcMemory.Peak(h.Pid)).ToList();
        var customers = await api.CustomersTotalAsync(BenchStore.MerchantId, ct);
        var orders = await api.OrdersTotalAsync(BenchStore.MerchantId, ct);
        if (orders != run.Inserted)
            throw new BenchmarkException($"GET orders total is {orders} but run {run.Id} inserted {run.Inserted}");
        if (orders == 0)
            throw new BenchmarkException($"run {run.Id} inserted no orders: check the window (since {store.Since:O}, closedOn {store.ClosedOn})");
        return new DeploymentResult(spec, run, orders, customers, untilRun, untilProfiles, pendingAtRunEnd, startUp, peaks, reads,
            hosts.Count > 1 ? await RanOnAsync(api, hosts, run.Id, ct) : null);
    }

    /// <summary>Which host ran the backfill (the run's <c>host</c>, a silo address, matched to a host's silo port), for the report.</summary>
    private static async Task<string?> RanOnAsync(ApiClient api, List<HostRunner> hosts, long runId, CancellationToken ct)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await api.GetTextAsync($"api/v1/merchants/{BenchStore.MerchantId}/stores/{BenchStore.StoreId}/runs?pageSize=500", ct));
        var run = body?["items"]?.AsArray().FirstOrDefault(r => r?["id"]?.GetValue<long>() == runId);
        var silo = run?["host"]?.GetValue<string>();
        if (silo is null) return null;
        var index = hosts.FindIndex(h => silo.Contains($":{h.SiloPort}@", StringComparison.Ordinal));
        return index >= 0 ? $"host {index + 1} ({silo})" : silo;
    }

    private static void ThrowIfAnyExited(List<HostRunner> hosts)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            if (hosts[i].HasExited)
                throw new BenchmarkException($"host {i + 1} (pid {hosts[i].Pid}) {hosts[i].State} during the run.{Environment.NewLine}Host log tail:{Environment.NewLine}{hosts[i].LogTail()}");
        }
    }

    private static string Logs(IEnumerable<HostRunner> hosts) =>
        string.Join(Environment.NewLine, hosts.Select(h => $"Host pid {h.Pid} is {h.State}; log tail:{Environment.NewLine}{h.LogTail()}"));
}
