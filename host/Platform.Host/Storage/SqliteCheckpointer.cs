using Microsoft.Data.Sqlite;

namespace Platform.Host.Storage;

/// <summary>
/// Moves the SQLite write-ahead log into the database file in the background. SQLite's own automatic checkpoint
/// runs inside whichever commit crosses the threshold, so a page write would stall while megabytes are copied
/// and synced; here a PASSIVE checkpoint (never blocks writers or readers) runs on its own connection when the
/// log has grown, and the automatic one (<see cref="SqlitePragmas.AutoCheckpointPages"/>) is only a backstop.
/// </summary>
public sealed class SqliteCheckpointer(DatabaseInfo database, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>Checkpoint when the log is larger than this.</summary>
    public const long ThresholdBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:") return;
        var wal = new FileInfo(file + "-wal");
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            wal.Refresh();
            if (!wal.Exists || wal.Length < ThresholdBytes) continue;
            try
            {
                await using var conn = new SqliteConnection(database.ConnectionString);
                await conn.OpenAsync(stoppingToken);
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await cmd.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (SqliteException e)
            {
                // The automatic checkpoint still bounds the log; say why this one failed and try again later.
                logger.LogWarning("Background checkpoint of {File} failed: {Message}", file, e.Message);
            }
        }
    }
}
