using System.Diagnostics;

namespace Platform.Benchmarks;

/// <summary>
/// <c>--deployments</c>: the default mode's ingestion, on three deployments one after another with the same sandbox
/// store — (1) SQLite, one host; (2) PostgreSQL, one host; (3) PostgreSQL + Redis, two hosts (two silos) in one
/// cluster — each with <see cref="DeploymentsOptions.Readers"/> concurrent API clients reading while the backfill
/// runs. A throw-away PostgreSQL (one fresh database per deployment) and Redis are started for the run and stopped
/// and deleted at the end, also on failure. Same exit codes as the default mode: 0, 1 on a failure, 2 on bad options.
/// </summary>
public static class DeploymentsMode
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(45);

    public static async Task<int> RunAsync(string[] args)
    {
        DeploymentsOptions options;
        try
        {
            options = DeploymentsOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(DeploymentsOptions.Usage);
            return 2;
        }

        using var timeout = new CancellationTokenSource(Timeout);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            timeout.Cancel();
        };
        // `timeout` and `kill` send SIGTERM: cancel as on Ctrl+C, so that the hosts, PostgreSQL and Redis are still stopped and deleted.
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            timeout.Cancel();
        });
        var ct = timeout.Token;
        var clock = Stopwatch.StartNew();

        try
        {
            var layout = RepoLayout.Find();
            // Before anything runs: a missing server fails the run at once, naming the package to install.
            PostgresServer.FindBinaries();
            RedisServer.FindBinary();
            var store = new BenchStore(options.Store, DateTimeOffset.UtcNow);
            var loadAtStart = Report.LoadAverage();
            Console.WriteLine($"cores: {Environment.ProcessorCount}; load average {loadAtStart}; host: {layout.HostDll}");
            Console.WriteLine($"store {BenchStore.MerchantId}/{BenchStore.StoreId}: since {store.Since:yyyy-MM-dd}, closedOn {store.ClosedOn:yyyy-MM-dd}, settings {store.SettingsJson}");

            await using var postgres = await PostgresServer.StartAsync(ct);
            await using var redis = await RedisServer.StartAsync(ct);
            Console.WriteLine($"PostgreSQL {postgres.Version} on 127.0.0.1:{postgres.Port} ({PostgresServer.Settings}); redis-server on {redis.ConnectionString}");

            var results = new List<DeploymentResult>();
            var sqlite = new Deployment(layout, store, DeploymentSpec.Sqlite, options.Readers, _ => [], Console.Out);
            Console.WriteLine($"## 1. {DeploymentSpec.Sqlite.Name}");
            results.Add(await sqlite.RunAsync(ct));

            Console.WriteLine($"## 2. {DeploymentSpec.Postgres.Name}");
            var single = await postgres.CreateDatabaseAsync("bench_single", ct);
            results.Add(await new Deployment(layout, store, DeploymentSpec.Postgres, options.Readers, _ => PostgresArguments(single), Console.Out).RunAsync(ct));

            Console.WriteLine($"## 3. {DeploymentSpec.PostgresCluster.Name}");
            var cluster = await postgres.CreateDatabaseAsync("bench_cluster", ct);
            var clusterId = $"bench-{Guid.NewGuid():N}"[..14];
            results.Add(await new Deployment(layout, store, DeploymentSpec.PostgresCluster, options.Readers, _ =>
            [
                .. PostgresArguments(cluster),
                "--Platform:Cluster:Provider=Redis",
                $"--ConnectionStrings:Redis={redis.ConnectionString}",
                $"--Platform:Cluster:ClusterId={clusterId}",
                "--Platform:Cluster:AdvertisedAddress=127.0.0.1",
            ], Console.Out).RunAsync(ct));

            DeploymentsReport.Print(Console.Out, options, layout, postgres.Version, results, loadAtStart, clock.Elapsed);
            var counts = results.Select(r => r.Orders).Distinct().ToList();
            if (counts.Count != 1)
            {
                Console.Error.WriteLine($"benchmark failed: the deployments inserted different numbers of orders ({string.Join(", ", results.Select(r => $"{r.Spec.Name}: {r.Orders}"))}): they measured different data");
                return 1;
            }
            return 0;
        }
        catch (BenchmarkException e)
        {
            Console.Error.WriteLine($"benchmark failed: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"benchmark failed: timed out ({Timeout.TotalMinutes:0} minutes overall) or cancelled");
            return 1;
        }
    }

    private static string[] PostgresArguments(string connectionString) =>
        ["--Platform:Database:Provider=Postgres", $"--ConnectionStrings:Platform={connectionString}"];
}
