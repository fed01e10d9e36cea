using Microsoft.Data.Sqlite;

namespace Platform.Host.Storage;

/// <summary>
/// Moves the SQLite write-ahead log into the database file in the background. SQLite's own automatic checkpoint
/// runs inside whichever commit crosses the threshold, so a page write would stall while megabytes are copied
/// and synced; here a PASSIVE checkpoint (never blocks writers or readers) runs on its own connection when the
/// log has grown, and the automatic one (<see cref="SqlitePragmas.AutoCheckpointPages"/>) is only a backstop.
/// Every <see cref="OptimizeInterval"/> it also runs <c>PRAGMA optimize</c>, which re-analyzes the tables whose size
/// changed a lot: without statistics SQLite's planner cannot tell a selective index (buyers by customer) from a
/// prefix of the primary key (buyers by merchant), and a profile's lookups became scans of a merchant's buyers.
/// </summary>
public sealed class SqliteCheckpointer(DatabaseInfo database, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>Checkpoint when the log is larger than this.</summary>
    public const long ThresholdBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How often statistics are refreshed (cheap when no table grew or shrank much).</summary>
    public static readonly TimeSpan OptimizeInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsSqlite) return; // PostgreSQL checkpoints and analyzes by itself
        var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:") return;
        var wal = new FileInfo(file + "-wal");
        using var timer = new PeriodicTimer(Interval);
        var optimized = DateTime.UtcNow;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            wal.Refresh();
            if (wal.Exists && wal.Length >= ThresholdBytes)
                // The automatic checkpoint still bounds the log if this one fails.
                await RunAsync("PRAGMA wal_checkpoint(PASSIVE);", "Background checkpoint", file, stoppingToken);
            if (DateTime.UtcNow - optimized >= OptimizeInterval)
            {
                optimized = DateTime.UtcNow;
                // 0x10002: consider every table (not only those this connection queried), analyze where useful.
                await RunAsync("PRAGMA busy_timeout=5000; PRAGMA optimize=0x10002;", "Refreshing query statistics", file, stoppingToken);
                try { await RefreshStaleStatisticsAsync(database.ConnectionString, stoppingToken); }
                catch (SqliteException e) { logger.LogWarning("Refreshing the buyers' statistics of {File} failed: {Message}; trying again later", file, e.Message); }
            }
        }
    }

    /// <summary>Above this many accounts per (merchant, customer) the buyers' statistics predate identity resolution.</summary>
    internal const int StaleAccountsPerCustomer = 50;

    /// <summary>
    /// Re-analyzes <c>buyers</c> when its statistics say an account's customer hardly narrows a search: buyers are
    /// stored before identity resolution gives them a customer, so statistics taken then see one customer (none) for
    /// all of them, and <c>PRAGMA optimize</c> never looks again (the row count did not change). With them, every
    /// profile and search page read the merchant's whole buyers table (measured at 290,000 customers: 170 ms a
    /// profile instead of a few). Returns whether it analyzed.
    /// </summary>
    public static async Task<bool> RefreshStaleStatisticsAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new SqliteConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var read = conn.CreateCommand();
        // No sqlite_stat1 yet (nothing analyzed so far): nothing can be stale.
        read.CommandText = "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1') THEN 1 ELSE 0 END";
        if (Convert.ToInt64(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0) return false;
        read.CommandText = "SELECT stat FROM sqlite_stat1 WHERE tbl = 'buyers' AND idx = 'IX_buyers_merchant_id_customer_id'";
        if (await read.ExecuteScalarAsync(ct) is not string stat) return false;
        var parts = stat.Split(' ');
        if (parts.Length < 3 || !long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var perCustomer) || perCustomer <= StaleAccountsPerCustomer)
            return false;
        await using var analyze = conn.CreateCommand();
        analyze.CommandText = "PRAGMA busy_timeout=5000; ANALYZE buyers;";
        await analyze.ExecuteNonQueryAsync(ct);
        return true;
    }

    private async Task RunAsync(string sql, string what, string file, CancellationToken ct)
    {
        try
        {
            await using var conn = new SqliteConnection(database.ConnectionString);
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException e)
        {
            logger.LogWarning("{What} of {File} failed: {Message}; trying again later", what, file, e.Message);
        }
    }
}
