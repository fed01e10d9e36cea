using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Platform.Host.Infrastructure;

namespace Platform.Host.Storage;

public static class StorageSetup
{
    /// <summary>
    /// EF Core on SQLite in the data directory (or <c>ConnectionStrings:Platform</c>), or with
    /// <c>Platform:Database:Provider=Postgres</c> on the PostgreSQL database of <c>ConnectionStrings:Platform</c>.
    /// A missing or unusable connection string is reported by <see cref="PrepareDatabaseAsync"/>, which runs first.
    /// </summary>
    public static WebApplicationBuilder AddPlatformStorage(this WebApplicationBuilder builder)
    {
        var options = PlatformOptions.AtBuild(builder.Configuration);
        builder.Services.AddSingleton(FileSizeLimitSignal.Ignore());
        var dataDirectory = options.ResolveDataDirectory();
        var connectionString = builder.Configuration.GetConnectionString("Platform");
        if (options.Database.Provider == DatabaseInfo.Postgres)
        {
            var postgres = new DatabaseInfo(connectionString ?? "", DatabaseInfo.Postgres);
            builder.Services.AddSingleton(postgres);
            builder.Services.AddDbContextFactory<PostgresDbContext>(o => o
                .UseNpgsql(postgres.ConnectionString)
                .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
            builder.Services.AddSingleton<IDbContextFactory<PlatformDbContext>, PostgresContextFactory>();
            return builder;
        }
        var configured = !string.IsNullOrWhiteSpace(connectionString);
        if (!configured)
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataDirectory, "platform.db"),
                DefaultTimeout = 60,
                Pooling = true,
            }.ToString();
        builder.Services.AddSingleton(new DatabaseInfo(connectionString!, options.Database.Provider, configured));
        builder.Services.AddDbContextFactory<PlatformDbContext>(o => o
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas())
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
        return builder;
    }

    /// <summary>
    /// Creates the data directory, switches SQLite to WAL and applies migrations (on PostgreSQL: applies its
    /// migrations). Throws <see cref="StorageStartupException"/> with what to do when the provider is unknown, the file
    /// is locked, read-only or unreachable, or the PostgreSQL connection string is missing or does not connect.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var info = services.GetRequiredService<DatabaseInfo>();
        if (info.IsPostgres)
        {
            await PreparePostgresAsync(services, info, ct);
            return;
        }
        if (!info.IsSqlite)
            throw new StorageStartupException($"Platform:Database:Provider is '{info.Provider}': use '{DatabaseInfo.Sqlite}' or '{DatabaseInfo.Postgres}'.");
        // The key an operator changes to put the database elsewhere: the connection string when they set one.
        var where = info.Configured ? "set ConnectionStrings:Platform to a file in a folder the host can write to" : "set Platform:DataDirectory to a folder the host can write to";
        string file;
        try
        {
            file = new SqliteConnectionStringBuilder(info.ConnectionString).DataSource;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new StorageStartupException($"ConnectionStrings:Platform is not a valid SQLite connection string ({e.Message}): e.g. Data Source=/data/platform.db, or leave it empty for the file in Platform:DataDirectory.", e);
        }
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException)
        {
            throw new StorageStartupException($"Cannot create the data directory for {file} ({e.Message}): {where}.", e);
        }
        if (File.Exists(file) && new FileInfo(file).IsReadOnly)
            throw new StorageStartupException($"The database file {file} is read-only: give the host write access to it, or {(info.Configured ? "set ConnectionStrings:Platform to another file" : "set Platform:DataDirectory to another folder")}.");

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

    /// <summary>The PostgreSQL advisory lock key hosts take while they migrate ("platfmig" in ASCII).</summary>
    private const string MigrationLock = "8100956982295226727";

    private static async Task PreparePostgresAsync(IServiceProvider services, DatabaseInfo info, CancellationToken ct)
    {
        const string Example = "e.g. Host=db;Port=5432;Database=platform;Username=platform;Password=…";
        if (string.IsNullOrWhiteSpace(info.ConnectionString))
            throw new StorageStartupException($"Platform:Database:Provider=Postgres needs ConnectionStrings:Platform: set it to an Npgsql connection string ({Example}).");
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(info.ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new StorageStartupException($"ConnectionStrings:Platform is not a valid Npgsql connection string ({e.Message}): {Example}.", e);
        }
        if (string.IsNullOrWhiteSpace(parsed.Host))
            throw new StorageStartupException($"ConnectionStrings:Platform names no Host: give the PostgreSQL server, {Example}.");

        var factory = services.GetRequiredService<IDbContextFactory<PlatformDbContext>>();
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            // Create the database if its user may (MigrateAsync would, but the lock below needs a connection to it first).
            var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync(ct))
            {
                try
                {
                    await creator.CreateAsync(ct);
                }
                catch (PostgresException e) when (e.SqlState == "42P04") // another host created it meanwhile
                {
                }
            }
            await db.Database.OpenConnectionAsync(ct);
            // Hosts of a cluster start together: one migrates, the others wait for it and then find nothing to do.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(" + MigrationLock + ")", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(" + MigrationLock + ")", CancellationToken.None);
            }
        }
        // The retrying execution strategy wraps what it gave up on in an InvalidOperationException ("likely due to a transient failure").
        catch (Exception e) when (e is NpgsqlException or TimeoutException || e is InvalidOperationException { InnerException: NpgsqlException or TimeoutException })
        {
            var reason = e is InvalidOperationException ? e.InnerException!.Message : e.Message;
            throw new StorageStartupException(
                $"The PostgreSQL database of ConnectionStrings:Platform (host {parsed.Host}, port {parsed.Port}, database {parsed.Database ?? "(default)"}) cannot be used ({reason}): " +
                "check the connection string, that the server is running and that its user may connect and create tables.", e);
        }
    }
}

/// <summary>The configured database: connection string and provider (<c>Platform:Database:Provider</c>).</summary>
/// <param name="Configured">Whether the connection string came from <c>ConnectionStrings:Platform</c> (rather than the data directory).</param>
public sealed record DatabaseInfo(string ConnectionString, string Provider = DatabaseInfo.Sqlite, bool Configured = false)
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public bool IsSqlite => Provider == Sqlite;
    public bool IsPostgres => Provider == Postgres;
}

public sealed class StorageStartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Keeps the host alive when a file may not grow (RLIMIT_FSIZE: a quota, a container's limit): Linux then sends SIGXFSZ,
/// whose default action ends the process without a word. Ignored, the write fails with EFBIG instead, and the run that
/// wrote says the database has no room (<see cref="Platform.Host.Stores.SyncRunner"/>). Held for the host's lifetime.
/// </summary>
public sealed class FileSizeLimitSignal(System.Runtime.InteropServices.PosixSignalRegistration? registration) : IDisposable
{
    private const int SigXfsz = 25; // Linux (x86-64 and arm64)

    public static FileSizeLimitSignal Ignore() => new(OperatingSystem.IsLinux()
        ? System.Runtime.InteropServices.PosixSignalRegistration.Create((System.Runtime.InteropServices.PosixSignal)SigXfsz, c => c.Cancel = true)
        : null);

    public void Dispose() => registration?.Dispose();
}
