using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Host.Storage;

/// <summary>
/// Per-connection SQLite settings: in WAL mode <c>synchronous=NORMAL</c> keeps the database consistent after a
/// crash and skips an fsync per commit (a power cut may lose the last commits, which the next sync reads again:
/// cursors are committed with their pages).
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    /// <summary>The automatic checkpoint's threshold (pages of 4 KiB): a backstop behind <see cref="SqliteCheckpointer"/>.</summary>
    public const int AutoCheckpointPages = 32768;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000; PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint={AutoCheckpointPages}; PRAGMA temp_store=MEMORY;";
        cmd.ExecuteNonQuery();
    }
}
