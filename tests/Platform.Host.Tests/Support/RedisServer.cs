using System.Diagnostics;
using System.Net.Sockets;

namespace Platform.Host.Tests.Support;

/// <summary>
/// A throw-away Redis for the cluster tests: Debian's <c>redis-server</c> as a child process on a free loopback port,
/// nothing saved to disk, stopped at the end. Fails with what to install when the binary is missing: never skips silently.
/// </summary>
public sealed class RedisServer : Xunit.IAsyncLifetime
{
    private Process? _process;
    private readonly System.Text.StringBuilder _log = new();

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis connection string (<c>ConnectionStrings:Redis</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public string Log { get { lock (_log) return _log.ToString(); } }

    public async Task InitializeAsync()
    {
        var binary = new[] { Environment.GetEnvironmentVariable("PLATFORM_REDIS_SERVER"), "/usr/bin/redis-server", "/usr/local/bin/redis-server" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException("The cluster tests need redis-server, which is missing: run .ci/run (it installs it) or `apt-get install -y redis-server`.");
        Port = TestPaths.FreePort();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.Until(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}:\n{Log}");
            using var client = new TcpClient();
            try { await client.ConnectAsync("127.0.0.1", Port); return true; }
            catch (SocketException) { return false; }
        }, TimeSpan.FromSeconds(30), () => "redis-server did not listen:\n" + Log);
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
