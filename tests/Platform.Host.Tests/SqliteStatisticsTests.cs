using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Platform.Host.Storage;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Statistics taken while buyers had no customer yet (before identity resolution) made the planner read a merchant's
/// whole buyers table for one customer's accounts; the checkpointer's refresh notices and re-analyzes.
/// </summary>
public sealed class SqliteStatisticsTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDirectory("stats");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task ExecAsync(SqliteConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> PlanAsync(SqliteConnection conn)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN SELECT store_id, buyer_id FROM buyers WHERE merchant_id = 'm1' AND customer_id = 'c42'";
        await using var r = await cmd.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await r.ReadAsync()) plan.Add(r.GetString(3));
        return string.Join("; ", plan);
    }

    [Fact]
    public async Task Statistics_from_before_identity_resolution_are_refreshed_and_the_customer_index_is_used_again()
    {
        var connectionString = $"Data Source={Path.Combine(_dir, "platform.db")};Pooling=False";
        await using (var db = new PooledDbContextFactory<PlatformDbContext>(new DbContextOptionsBuilder<PlatformDbContext>().UseSqlite(connectionString).Options).CreateDbContext())
            await db.Database.MigrateAsync();
        Assert.False(await SqliteCheckpointer.RefreshStaleStatisticsAsync(connectionString, CancellationToken.None)); // never analyzed: nothing stale
        await using var conn = new SqliteConnection(connectionString);
        await conn.OpenAsync();
        var values = string.Join(", ", Enumerable.Range(0, 3000).Select(i => $"('m1', 's1', 'b{i}', 'sandbox', NULL, 0, 0)"));
        await ExecAsync(conn, $"INSERT INTO buyers (merchant_id, store_id, buyer_id, marketplace, customer_id, first_seen_at, updated_at) VALUES {values}");
        await ExecAsync(conn, "ANALYZE"); // as PRAGMA optimize does while a backfill runs

        // Identity resolution fills in the customers: the row count does not change, the statistics stay as they were.
        await ExecAsync(conn, "UPDATE buyers SET customer_id = 'c' || (CAST(substr(buyer_id, 2) AS INTEGER) / 2)");
        await conn.CloseAsync();
        SqliteConnection.ClearAllPools();
        await conn.OpenAsync();
        Assert.DoesNotContain("customer_id", await PlanAsync(conn));

        Assert.True(await SqliteCheckpointer.RefreshStaleStatisticsAsync(connectionString, CancellationToken.None));
        await conn.CloseAsync();
        await conn.OpenAsync();
        Assert.Contains("IX_buyers_merchant_id_customer_id", await PlanAsync(conn));
        Assert.False(await SqliteCheckpointer.RefreshStaleStatisticsAsync(connectionString, CancellationToken.None)); // fresh now: nothing to do
    }
}
