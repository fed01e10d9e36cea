using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Platform.Abstractions;
using Platform.Host.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Platform.Host.Tests;

/// <summary>
/// The reliability suite's crash test at scale: a host killed with SIGKILL in the middle of a 100,000-order backfill and
/// restarted on the same data (SQLite file, PostgreSQL database) ends with exactly the marketplace's orders, once each,
/// and a cursor the next runs continue from. In the PostgreSQL collection, so the two 100k backfills never share the
/// machine's two cores with each other.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackfillCrashTests(PostgresServer server, ITestOutputHelper output)
{
    private const string Merchant = "m";
    private const string Store = "big";
    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-55);

    // A closed store (its history no longer changes) with ~100,000 orders over its last 20 open days.
    private static object Settings => new { population = 11, people = 12_000, ordersPerDay = 3_200, pageSize = 1000, closedOn = ClosedStores.ClosedOn };

    private static readonly Lazy<Task<HashSet<string>>> Source = new(async () =>
        (await SandboxSource.ReadAllAsync<OrderRecord>(Store, Settings, StreamName.Orders, Since)).Select(o => o.ExternalId).ToHashSet());

    [Fact]
    public async Task On_SQLite_a_host_killed_mid_backfill_of_100k_orders_restarts_with_every_order_once()
    {
        var data = TestPaths.NewTempDirectory("crash100k-sqlite");
        var file = Path.Combine(data, "platform.db");
        await KillMidBackfillThenRestartAsync(data, new Dictionary<string, string>(),
            () => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()));
    }

    // ~95 s here: the PostgreSQL writer ingests ~1,400 orders/s on this machine (one round trip per statement).
    [Fact, Trait("Category", "Slow")]
    public async Task On_PostgreSQL_a_host_killed_mid_backfill_of_100k_orders_restarts_with_every_order_once()
    {
        var db = await server.CreateDatabaseAsync($"crash_{Guid.NewGuid():N}");
        await KillMidBackfillThenRestartAsync(TestPaths.NewTempDirectory("crash100k-postgres"), new Dictionary<string, string>
        {
            ["Platform:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Platform"] = db,
        }, () => new NpgsqlConnection(db));
    }

    private async Task KillMidBackfillThenRestartAsync(string data, Dictionary<string, string> settings, Func<DbConnection> database)
    {
        var label = settings.ContainsKey("Platform:Database:Provider") ? "postgres" : "sqlite";
        var total = Stopwatch.StartNew();
        var expected = await Source.Value;
        Assert.True(expected.Count >= 100_000, $"the store should hold 100,000 orders or more, it has {expected.Count}");
        output.WriteLine($"{label}: the marketplace's {expected.Count} orders read in {total.Elapsed.TotalSeconds:F1} s");

        int committed;
        TimeSpan killedAfter;
        await using (var first = new HostProcess(data, settings))
        {
            await first.StartAsync();
            using var api = first.Client();
            await api.CreateMerchantAsync(Merchant);
            await api.PutStoreAsync(Merchant, Store, Settings, Since);
            var runId = Assert.Single(await api.StartSyncAsync(Merchant, Store, "orders"));
            var run = Stopwatch.StartNew();
            // Genuinely mid-run: a fifth of the orders are committed and the run is still going.
            JsonElement latest = default;
            await Eventually.Until(async () =>
            {
                latest = await LatestRunAsync(api);
                Assert.Equal(runId, latest.GetProperty("id").GetInt64());
                Assert.True(latest.GetProperty("status").GetString() == "running", $"the run ended before the kill: {latest}");
                return latest.GetProperty("inserted").GetInt32() >= expected.Count / 5;
            }, TimeSpan.FromSeconds(120), () => $"the backfill did not reach {expected.Count / 5} orders: {latest}");
            await first.KillAsync();
            killedAfter = run.Elapsed;
            Assert.NotEqual(0, first.ExitCode);
            output.WriteLine($"{label}: killed {killedAfter.TotalSeconds:F1} s into the run, at {latest.GetProperty("inserted").GetInt32()} orders reported");
        }

        await using var second = new HostProcess(data, settings);
        var restart = Stopwatch.StartNew();
        await second.StartAsync();
        output.WriteLine($"{label}: restarted and ready in {restart.Elapsed.TotalSeconds:F1} s");
        using var client = second.Client();
        var interrupted = await LatestRunAsync(client);
        Assert.Equal("failed", interrupted.GetProperty("status").GetString());
        Assert.Contains("interrupted", interrupted.GetProperty("error").GetString());
        committed = interrupted.GetProperty("inserted").GetInt32();
        Assert.InRange(committed, expected.Count / 5, expected.Count - 1);
        // What the run reported is what is stored: counters, orders and cursor commit together.
        Assert.Equal(committed, await OrderTotalAsync(client));
        var cursor = Assert.Single((await client.GetJsonAsync($"/api/v1/merchants/{Merchant}/stores/{Store}/cursors")).GetProperty("items").EnumerateArray());
        Assert.Contains("changedAt", cursor.GetProperty("cursor").GetString());

        var resumeClock = Stopwatch.StartNew();
        var resumed = Assert.Single(await client.SyncAsync(Merchant, Store, "orders"));
        var resumeTime = resumeClock.Elapsed;
        // The cursor was exactly at the last committed page: nothing read twice, nothing skipped.
        Assert.Equal(expected.Count - committed, resumed.GetProperty("inserted").GetInt32());
        Assert.Equal(0, resumed.GetProperty("skipped").GetInt32());
        Assert.Equal(0, resumed.GetProperty("updated").GetInt32());
        Assert.Equal(expected.Count, await OrderTotalAsync(client));
        // In the database itself: the orders are the marketplace's, and each raw record is there once.
        var stored = await ColumnAsync(database, $"SELECT external_id FROM orders WHERE merchant_id = '{Merchant}' AND store_id = '{Store}'");
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.True(expected.SetEquals(stored), $"{expected.Except(stored).Count()} order(s) missing, {stored.Except(expected).Count()} unknown");
        var raw = await ColumnAsync(database, $"SELECT external_id FROM raw_records WHERE merchant_id = '{Merchant}' AND store_id = '{Store}' AND stream = 'orders'");
        Assert.Equal(expected.Count, raw.Count);
        Assert.True(expected.SetEquals(raw));

        // The cursor is consistent: the next run has nothing to read.
        var again = Assert.Single(await client.SyncAsync(Merchant, Store, "orders"));
        Assert.Equal((0, 0), (again.GetProperty("read").GetInt32(), again.GetProperty("inserted").GetInt32()));

        output.WriteLine($"{label}: {expected.Count} orders; {committed} committed before the kill ({committed / killedAfter.TotalSeconds:F0} orders/s), " +
            $"the rest ({expected.Count - committed}) in {resumeTime.TotalSeconds:F1} s after the restart ({(expected.Count - committed) / resumeTime.TotalSeconds:F0} orders/s, profiles included); test {total.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<List<string>> ColumnAsync(Func<DbConnection> database, string sql)
    {
        await using var conn = database();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private static async Task<JsonElement> LatestRunAsync(HttpClient api) =>
        (await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/stores/{Store}/runs")).GetProperty("items")[0];

    private static async Task<int> OrderTotalAsync(HttpClient api) =>
        (await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/orders?store={Store}&pageSize=1")).GetProperty("total").GetInt32();
}
