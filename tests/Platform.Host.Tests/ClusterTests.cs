using System.Net;
using System.Text.Json;
using Npgsql;
using Platform.Abstractions;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Real host processes forming one Orleans cluster on Redis (<c>Platform:Cluster:Provider=Redis</c>), on one PostgreSQL
/// database: schedules fire on every host but run once, a host killed mid-run is taken over by another, and bad cluster
/// settings stop the host naming the key.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresServer postgres, ClusterTests.Redis redis) : IClassFixture<ClusterTests.Redis>
{
    /// <summary>One Redis for the class.</summary>
    public sealed class Redis : Xunit.IAsyncLifetime
    {
        public RedisServer Server { get; } = new();
        public Task InitializeAsync() => Server.InitializeAsync();
        public Task DisposeAsync() => Server.DisposeAsync();
    }

    private static readonly DateTimeOffset ClosedSince = ClosedStores.Today.AddDays(-55);

    private static Dictionary<string, object> ClosedStore(int pageSize = 25, int? pageDelayMs = null)
    {
        var settings = new Dictionary<string, object> { ["people"] = 80, ["ordersPerDay"] = 12, ["pageSize"] = pageSize, ["closedOn"] = ClosedStores.ClosedOn, ["apiToken"] = "secret-token-of-the-store" };
        if (pageDelayMs is { } delay) settings["pageDelayMs"] = delay;
        return settings;
    }

    /// <summary>A cluster host: its own data directory and ports, the shared database, Redis and cluster id.</summary>
    private HostProcess ClusterHost(string database, string clusterId, int siloPort, IDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Platform:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Platform"] = database,
            ["Platform:Cluster:Provider"] = "Redis",
            ["ConnectionStrings:Redis"] = redis.Server.ConnectionString,
            ["Platform:Cluster:ClusterId"] = clusterId,
            ["Platform:Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Platform:Cluster:SiloPort"] = siloPort.ToString(),
            // A killed host is declared dead within a few seconds (Orleans' defaults take longer).
            ["Orleans:Membership:ProbeTimeout"] = "00:00:02",
            ["Orleans:Membership:NumMissedProbesLimit"] = "3",
            ["Logging:LogLevel:Platform.Host.Stores"] = "Debug",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) settings[k] = v;
        return new HostProcess(TestPaths.NewTempDirectory("cluster"), settings);
    }

    private static async Task<List<JsonElement>> RunsAsync(HttpClient api, string store) =>
        [.. (await api.GetJsonAsync($"/api/v1/merchants/m/stores/{store}/runs?pageSize=500")).GetProperty("items").EnumerateArray()];

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Two_hosts_form_one_cluster_a_cron_schedule_syncs_once_per_fire_time_and_each_decrypts_the_others_secrets()
    {
        var db = await postgres.CreateDatabaseAsync($"cluster_{Guid.NewGuid():N}");
        var ports = TestPaths.FreePorts(2);
        var clusterId = $"once-{Guid.NewGuid():N}"[..20];
        await using var a = ClusterHost(db, clusterId, ports[0]);
        await a.StartAsync();
        await using var b = ClusterHost(db, clusterId, ports[1]);
        await b.StartAsync();
        using var apiA = a.Client();
        using var apiB = b.Client();

        await apiA.CreateMerchantAsync("m");
        // Every 2 s on both hosts (host B learns of the store from the database); the first backfill runs at once.
        await apiA.PutStoreAsync("m", "tick", ClosedStore(), ClosedSince, schedules: new { orders = "0/2 * * * * ?" });
        await Eventually.Until(async () => (await RunsAsync(apiB, "tick")).Count(r => r.GetProperty("scheduledFor").ValueKind == JsonValueKind.String
            && r.GetProperty("status").GetString() == "succeeded") >= 4, TimeSpan.FromSeconds(40),
            () => "four scheduled runs did not happen:\n" + a.Log + "\n----\n" + b.Log);

        // Both hosts fired each time: the grain's host saw the second trigger of a fire time and started nothing.
        await Eventually.Until(() => Task.FromResult((a.Log + b.Log).Contains("already ran for")), TimeSpan.FromSeconds(20),
            () => "no host's trigger was turned away: did both hosts schedule the store?\n" + a.Log + "\n----\n" + b.Log);
        Assert.Equal(0, await ScalarAsync(db, "SELECT COUNT(*) FROM (SELECT 1 FROM runs WHERE scheduled_for IS NOT NULL GROUP BY merchant_id, store_id, stream, scheduled_for HAVING COUNT(*) > 1) d"));
        Assert.True(await ScalarAsync(db, "SELECT COUNT(DISTINCT scheduled_for) FROM runs WHERE scheduled_for IS NOT NULL") >= 4);
        // And the database itself refuses a second run of a fire time (what a host racing past the grain would meet).
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(db,
            "INSERT INTO runs (merchant_id, store_id, stream, status, trigger, scheduled_for, started_at, pages, read, inserted, updated, skipped) " +
            "SELECT merchant_id, store_id, stream, 'succeeded', 'schedule', scheduled_for, started_at, 0, 0, 0, 0, 0 FROM runs WHERE scheduled_for IS NOT NULL LIMIT 1"));
        Assert.Equal("23505", duplicate.SqlState);

        // One key ring for both: the secret saved through A is read on B (a connection check decrypts the settings).
        var check = await (await apiB.PostAsync("/api/v1/merchants/m/stores/tick/check", null)).ReadJsonAsync();
        Assert.True(check.GetProperty("ok").GetBoolean(), check.ToString());
        Assert.True(await ScalarAsync(db, "SELECT COUNT(*) FROM data_protection_keys") >= 1);
        Assert.False(Directory.Exists(Path.Combine(b.DataDirectory, "keys")) && Directory.GetFiles(Path.Combine(b.DataDirectory, "keys")).Length > 0,
            "a cluster host keeps no key ring of its own");
        // Same orders, seen through either host, once.
        var expected = (await SandboxSource.ReadAllAsync<OrderRecord>("tick", ClosedStore(), StreamName.Orders, ClosedSince)).Count;
        Assert.Equal(expected, (await apiB.GetJsonAsync("/api/v1/merchants/m/orders?store=tick&pageSize=1")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("SIGKILL")]
    [InlineData("SIGTERM")]
    public async Task A_host_killed_or_stopped_mid_backfill_is_taken_over_by_the_other_which_resumes_from_the_last_checkpoint(string signal)
    {
        var db = await postgres.CreateDatabaseAsync($"cluster_{Guid.NewGuid():N}");
        var ports = TestPaths.FreePorts(2);
        // A cluster id of its own: the hosts of the other case (killed at the end) stay in Redis' membership table for a while,
        // and hosts of the same id would wait for them to be declared dead before they are ready.
        var clusterId = $"takeover-{signal}-{Guid.NewGuid():N}"[..24];
        var hosts = new[] { ClusterHost(db, clusterId, ports[0]), ClusterHost(db, clusterId, ports[1]) };
        try
        {
            await Task.WhenAll(hosts.Select(h => h.StartAsync()));
            using (var api = hosts[0].Client())
            {
                await api.CreateMerchantAsync("m");
                await api.PutStoreAsync("m", "slow", ClosedStore(pageSize: 10, pageDelayMs: 150), ClosedSince);
                Assert.Single(await api.StartSyncAsync("m", "slow", "orders"));
            }
            // Wait until some pages are committed (wherever Orleans placed the store), then kill the host running it.
            JsonElement run = default;
            using (var api = hosts[1].Client())
                await Eventually.Until(async () =>
                {
                    var runs = await RunsAsync(api, "slow");
                    if (runs.Count == 0) return false;
                    run = runs[^1];
                    return run.GetProperty("pages").GetInt32() >= 3;
                }, TimeSpan.FromSeconds(60), () => "the backfill did not start:\n" + hosts[0].Log + "\n----\n" + hosts[1].Log);
            Assert.Equal("running", run.GetProperty("status").GetString());
            var runner = run.GetProperty("host").GetString()!;
            var victim = runner.StartsWith($"127.0.0.1:{ports[0]}@", StringComparison.Ordinal) ? 0 : 1;
            Assert.StartsWith($"127.0.0.1:{ports[victim]}@", runner);
            // SIGKILL between pages: no shutdown code runs. SIGTERM: the run stops at the next page and the host leaves the cluster.
            if (signal == "SIGKILL") await hosts[victim].KillAsync();
            else
            {
                await hosts[victim].StopAsync();
                Assert.Equal(0, hosts[victim].ExitCode);
            }
            var survivor = hosts[1 - victim];
            using var client = survivor.Client();

            // The survivor notices the host is gone, takes the store over and resumes the run from the last committed page.
            List<JsonElement> after = [];
            await Eventually.Until(async () =>
            {
                after = await RunsAsync(client, "slow");
                return after.Any(r => r.GetProperty("trigger").GetString() == "resume" && r.GetProperty("status").GetString() == "succeeded");
            }, TimeSpan.FromSeconds(60), () => "the run was not resumed on the other host:\n" + survivor.Log);
            var first = after.Single(r => r.GetProperty("id").GetInt64() == run.GetProperty("id").GetInt64());
            Assert.Equal("failed", first.GetProperty("status").GetString());
            Assert.Contains("interrupted", first.GetProperty("error").GetString());
            var resumed = after.Single(r => r.GetProperty("trigger").GetString() == "resume");
            Assert.StartsWith($"127.0.0.1:{ports[1 - victim]}@", resumed.GetProperty("host").GetString());

            // Everything the marketplace holds, once: the resumed run inserted only what the first had not committed.
            var expected = (await SandboxSource.ReadAllAsync<OrderRecord>("slow", ClosedStore(), StreamName.Orders, ClosedSince)).Select(o => o.ExternalId).ToHashSet();
            var stored = (await client.GetAllAsync("/api/v1/merchants/m/orders?store=slow")).Select(o => o.GetProperty("id").GetString()!).ToList();
            Assert.Equal(expected.Count, stored.Count);
            Assert.Equal(expected, stored.ToHashSet());
            Assert.Equal(expected.Count, after.Where(r => r.GetProperty("stream").GetString() == "orders").Sum(r => r.GetProperty("inserted").GetInt32()));
            Assert.True(first.GetProperty("inserted").GetInt32() >= 30, first.ToString());
            await client.WaitForProfilesAsync("m");
        }
        finally
        {
            foreach (var h in hosts) await h.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("no-redis", "ConnectionStrings:Redis")]
    [InlineData("unreachable", "ConnectionStrings:Redis")]
    [InlineData("sqlite", "Platform:Database:Provider")]
    public async Task A_cluster_setting_that_cannot_work_stops_the_host_naming_the_key(string problem, string key)
    {
        var settings = new Dictionary<string, string> { ["Platform:Cluster:Provider"] = "Redis" };
        if (problem != "sqlite")
        {
            settings["Platform:Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Platform"] = postgres.ConnectionString("postgres");
        }
        else settings["ConnectionStrings:Redis"] = redis.Server.ConnectionString;
        if (problem == "unreachable") settings["ConnectionStrings:Redis"] = $"127.0.0.1:{TestPaths.FreePort()},connectTimeout=1000";
        await using var host = new HostProcess(TestPaths.NewTempDirectory("cluster-bad"), settings);
        await host.StartAsync(waitForReady: false);
        var exit = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains(key, host.Log);
    }
}
