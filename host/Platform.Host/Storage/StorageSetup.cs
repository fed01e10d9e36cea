using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Platform.Host.Infrastructure;

namespace Platform.Host.Storage;

public static class StorageSetup
{
    /// <summary>EF Core on SQLite in the data directory (or <c>ConnectionStrings:Platform</c>).</summary>
    public static WebApplicationBuilder AddPlatformStorage(this WebApplicationBuilder builder)
    {
        var options = PlatformOptions.AtBuild(builder.Configuration);
        var dataDirectory = options.ResolveDataDirectory();
        var connectionString = builder.Configuration.GetConnectionString("Platform");
        if (string.IsNullOrWhiteSpace(connectionString))
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataDirectory, "platform.db"),
                DefaultTimeout = 60,
                Pooling = true,
            }.ToString();
        builder.Services.AddSingleton(new DatabaseInfo(connectionString));
        builder.Services.AddDbContextFactory<PlatformDbContext>(o => o
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas())
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
        return builder;
    }

    /// <summary>
    /// Creates the data directory, switches SQLite to WAL and applies migrations. Throws
    /// <see cref="StorageStartupException"/> with what to do when the file is locked, read-only or unreachable.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var info = services.GetRequiredService<DatabaseInfo>();
        var file = new SqliteConnectionStringBuilder(info.ConnectionString).DataSource;
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new StorageStartupException($"Cannot create the data directory for {file} ({e.Message}): set Platform:DataDirectory to a folder the host can write to.", e);
        }
        if (File.Exists(file) && new FileInfo(file).IsReadOnly)
            throw new StorageStartupException($"The database file {file} is read-only: give the host write access to it, or set Platform:DataDirectory to another folder.");

        var factory = services.GetRequiredService<IDbContextFactory<PlatformDbContext>>();
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.MigrateAsync(ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // BUSY, LOCKED
        {
            throw new StorageStartupException($"The database file {file} is locked by another process: stop the other host that uses this data directory, or set Platform:DataDirectory to another folder.", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 8 or 14 or 23) // READONLY, CANTOPEN, AUTH
        {
            throw new StorageStartupException($"The database file {file} cannot be written ({e.Message}): give the host write access to it and its folder, or set Platform:DataDirectory to another folder.", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26) // CORRUPT, NOTADB
        {
            throw new StorageStartupException($"The file {file} is not a usable SQLite database ({e.Message}): restore it from a backup or move it away to start empty.", e);
        }
    }
}

public sealed record DatabaseInfo(string ConnectionString);

public sealed class StorageStartupException(string message, Exception? inner = null) : Exception(message, inner);
