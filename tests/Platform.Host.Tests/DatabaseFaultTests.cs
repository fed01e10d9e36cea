using System.Text.Json;
using Npgsql;
using Platform.Abstractions;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The reliability suite's database faults: the database goes away under a running backfill. The run ends with a reason
/// in words, the host keeps serving, and once the database is back the next run catches up with nothing missing and
/// nothing twice, without anyone repairing anything.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseFaultTests(PostgresServer server)
{
    private const string Merchant = "m";
    private const string Store = "shop";
    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-55);
    private static object Settings => new { population = 5, people = 2_000, ordersPerDay = 250, pageSize = 250, pageDelayMs = 20, closedOn = ClosedStores.ClosedOn };

    [Fact]
    public async Task PostgreSQL_restarted_mid_backfill_fails_the_run_in_words_and_the_next_run_catches_up_with_every_order_once()
    {
        var expected = (await SandboxSource.ReadAllAsync<OrderRecord>(Store, Settings, StreamName.Orders, Since)).Select(o => o.ExternalId).ToHashSet();
        var db = await server.CreateDatabaseAsync($"pgrestart_{Guid.NewGuid():N}");
        await using var host = new HostProcess(TestPaths.NewTempDirectory("pg-restart"), new Dictionary<string, string>
        {
            ["Platform:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Platform"] = db,
        });
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync(Merchant);
        await api.PutStoreAsync(Merchant, Store, Settings, Since);
        var runId = Assert.Single(await api.StartSyncAsync(Merchant, Store, "orders"));
        await Eventually.Until(async () => (await LatestRunAsync(api)).GetProperty("inserted").GetInt32() >= 1_000, TimeSpan.FromSeconds(60));

        await server.StopAsync();
        try
        {
            // The run notices (its next commit fails) while the server is down.
            await Eventually.Until(() => Task.FromResult(host.Log.Contains($"Run {runId} failed", StringComparison.Ordinal)), TimeSpan.FromSeconds(60),
                () => "the run did not notice that PostgreSQL went away:\n" + host.Log);
        }
        finally
        {
            await server.StartAsync();
        }

        // Once the server is back, the run is recorded as failed, saying why; nobody repairs anything.
        JsonElement failed = default;
        await Eventually.Until(async () =>
        {
            try { failed = await LatestRunAsync(api); }
            catch (HttpRequestException) { return false; } // the host's pool may still hand out a cut connection once
            return failed.GetProperty("status").GetString() != "running";
        }, TimeSpan.FromSeconds(60), () => $"run {runId} still shows running after PostgreSQL came back: {failed}");
        Assert.Equal(runId, failed.GetProperty("id").GetInt64());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var error = failed.GetProperty("error").GetString()!;
        Assert.Contains("database", error, StringComparison.OrdinalIgnoreCase);
        var committed = failed.GetProperty("inserted").GetInt32();
        Assert.Equal(committed, await CountAsync(db, $"SELECT COUNT(*) FROM orders WHERE store_id = '{Store}'"));

        var resumed = Assert.Single(await api.SyncAsync(Merchant, Store, "orders"));
        Assert.Equal(expected.Count - committed, resumed.GetProperty("inserted").GetInt32());
        Assert.Equal(expected.Count, await CountAsync(db, $"SELECT COUNT(DISTINCT external_id) FROM orders WHERE store_id = '{Store}'"));
        Assert.Equal(expected.Count, await CountAsync(db, $"SELECT COUNT(*) FROM raw_records WHERE store_id = '{Store}' AND stream = 'orders'"));
        Assert.Equal(expected.Count, (await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/orders?store={Store}&pageSize=1")).GetProperty("total").GetInt32());
    }

    private static async Task<JsonElement> LatestRunAsync(HttpClient api) =>
        (await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/stores/{Store}/runs")).GetProperty("items")[0];

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
