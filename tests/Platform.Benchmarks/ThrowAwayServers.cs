using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Platform.Benchmarks;

/// <summary>
/// A throw-away PostgreSQL cluster for <c>--deployments</c>, started as tests/Platform.Host.Tests/Support/PostgresServer.cs
/// starts its own: <c>initdb</c> + <c>pg_ctl</c> of the newest /usr/lib/postgresql/&lt;version&gt;/bin in a temp
/// directory (as the <c>postgres</c> user via <c>runuser</c> when run as root: initdb refuses root), on a free loopback
/// port; one database per deployment (<see cref="CreateDatabaseAsync"/>); stopped and deleted on dispose.
/// Durability like the SQLite host's (WAL, <c>synchronous=NORMAL</c>): <c>synchronous_commit=off</c> (a commit does not
/// wait for its WAL flush; the WAL writer flushes within 200 ms), fsync on.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Package = "postgresql";
    private const string Superuser = "postgres";
    private readonly string _bin;
    private readonly bool _asRoot = Environment.UserName == "root";
    private string _dir = "";
    private bool _started;

    private PostgresServer(string bin) => _bin = bin;

    public int Port { get; private set; }

    /// <summary>e.g. "16" (the folder under /usr/lib/postgresql).</summary>
    public string Version => Path.GetFileName(Path.GetDirectoryName(_bin)) ?? "?";

    public const string Settings = "synchronous_commit=off, max_connections=300, shared_buffers=128MB (fsync on)";

    private string DataDir => Path.Combine(_dir, "data");
    private string LogFile => Path.Combine(_dir, "server.log");
    private string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    /// <summary>The newest installed server's bin folder, or a <see cref="BenchmarkException"/> naming the package to install.</summary>
    public static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")) && File.Exists(Path.Combine(b, "createdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new BenchmarkException(
            "--deployments needs the PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin/initdb, pg_ctl, createdb), which are missing: " +
            $"install the Debian package '{Package}' (apt-get install -y {Package}).");
    }

    public static async Task<PostgresServer> StartAsync(CancellationToken ct)
    {
        var server = new PostgresServer(FindBinaries());
        try
        {
            await server.InitializeAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken ct)
    {
        _dir = Path.Combine(Path.GetTempPath(), $"platform-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        if (_asRoot) await RunAsync("chown", ["-R", $"{Superuser}:{Superuser}", _dir], ct);
        await RunServerToolAsync("initdb", ["-D", DataDir, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], ct);
        Port = FreePort();
        await RunServerToolAsync("pg_ctl", ["-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dir} -c synchronous_commit=off -c max_connections=300 -c shared_buffers=128MB",
            "start"], ct);
        _started = true;
    }

    /// <summary>Creates an empty database (the host applies its migrations to it) and returns the host's connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        await RunAsync(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Superuser, name], ct);
        return $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={name}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _started = false;
            try
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await RunServerToolAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"], stop.Token);
            }
            catch (Exception e) when (e is BenchmarkException or OperationCanceledException)
            {
                Console.Error.WriteLine($"warning: could not stop PostgreSQL in {DataDir}: {e.Message}");
            }
        }
        try
        {
            if (_dir.Length > 0 && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not delete {_dir}: {e.Message}");
        }
    }

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> args, CancellationToken ct) =>
        _asRoot ? RunAsync("runuser", ["-u", Superuser, "--", Path.Combine(_bin, tool), .. args], ct) : RunAsync(Path.Combine(_bin, tool), args, ct);

    private async Task RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new BenchmarkException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchmarkException($"could not run {file}: {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
                throw new BenchmarkException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:{Environment.NewLine}{await stdout}{Environment.NewLine}{await stderr}{Environment.NewLine}{Log}");
        }
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>
/// A throw-away Redis for the cluster deployment, as tests/Platform.Host.Tests/Support/RedisServer.cs starts its own:
/// <c>redis-server --port P --bind 127.0.0.1 --save "" --appendonly no</c> as a child process, killed on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Package = "redis-server";
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string (<c>ConnectionStrings:Redis</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    private string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>redis-server's path (PLATFORM_REDIS_SERVER, /usr/bin, /usr/local/bin), or a <see cref="BenchmarkException"/> naming the package to install.</summary>
    public static string FindBinary() =>
        new[] { Environment.GetEnvironmentVariable("PLATFORM_REDIS_SERVER"), "/usr/bin/redis-server", "/usr/local/bin/redis-server" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
        ?? throw new BenchmarkException($"--deployments needs redis-server, which is missing: install the Debian package '{Package}' (apt-get install -y {Package}).");

    public static async Task<RedisServer> StartAsync(CancellationToken ct)
    {
        var binary = FindBinary();
        var port = PostgresServer.FreePort();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new BenchmarkException($"{binary} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchmarkException($"could not run {binary}: {e.Message}");
        }
        var server = new RedisServer(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited) throw new BenchmarkException($"redis-server exited with {process.ExitCode}:{Environment.NewLine}{server.Log}");
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, ct);
                    return server;
                }
                catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(100, ct);
                }
                catch (SocketException)
                {
                    throw new BenchmarkException($"redis-server did not listen on port {port} within 30 s:{Environment.NewLine}{server.Log}");
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: redis-server (pid {_process.Id}) did not stop: {e.Message}");
        }
        _process.Dispose();
    }
}
