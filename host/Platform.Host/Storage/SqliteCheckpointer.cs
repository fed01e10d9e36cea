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
            }
        }
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
