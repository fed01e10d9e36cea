using System.Diagnostics;
using Npgsql;
using Xunit;

namespace Platform.Host.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster for the tests of the "Postgres" collection: <c>initdb</c> + <c>pg_ctl</c> in a temp
/// directory, listening on a free loopback port (as the <c>postgres</c> user when the tests run as root: initdb refuses
/// root), one database per test class (<see cref="CreateDatabaseAsync"/>), stopped and deleted at the end. Fails with
/// what to install when the server binaries are missing: the PostgreSQL tests never skip silently.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Superuser = "postgres";
    private string _bin = "";
    private string _dir = "";
    private bool _started;

    public int Port { get; private set; }

    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";
    private string DataDir => Path.Combine(_dir, "data");
    private string LogFile => Path.Combine(_dir, "server.log");

    /// <summary>The connection string of <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database, Pooling = false }.ToString();

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _dir = Path.Combine(Path.GetTempPath(), $"platform-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["-R", $"{Superuser}:{Superuser}", _dir]);
        await RunServerToolAsync(asRoot, "initdb", ["-D", DataDir, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        Port = TestPaths.FreePort();
        await RunServerToolAsync(asRoot, "pg_ctl", ["-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start"]);
        _started = true;
    }

    /// <summary>Creates an empty database (the host applies its migrations to it) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        var database = name.ToLowerInvariant();
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"CREATE DATABASE \"{database}\"";
        await cmd.ExecuteNonQueryAsync();
        return ConnectionString(database);
    }

    /// <summary>Stops the server as an operator's restart does (fast: open sessions are cut), keeping its data.</summary>
    public Task StopAsync() =>
        RunServerToolAsync(Environment.UserName == "root", "pg_ctl", ["-D", DataDir, "-m", "fast", "-w", "-t", "60", "stop"]);

    /// <summary>Starts the server again on the same port and data after <see cref="StopAsync"/>.</summary>
    public Task StartAsync() =>
        RunServerToolAsync(Environment.UserName == "root", "pg_ctl", ["-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start"]);

    public async Task DisposeAsync()
    {
        if (_started)
            await RunServerToolAsync(Environment.UserName == "root", "pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
        try { if (_dir.Length > 0) Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "The PostgreSQL tests need the server binaries (/usr/lib/postgresql/<version>/bin/initdb and pg_ctl), which are missing: " +
            "run .ci/run (it installs them) or `apt-get install -y postgresql`.");
    }

    private Task RunServerToolAsync(bool asRoot, string tool, IReadOnlyList<string> args) =>
        asRoot ? RunAsync("runuser", ["-u", Superuser, "--", Path.Combine(_bin, tool), .. args]) : RunAsync(Path.Combine(_bin, tool), args);

    private async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}\n{Log}");
    }
}

/// <summary>The test classes that share one <see cref="PostgresServer"/> (each with its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
