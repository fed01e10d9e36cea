using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Platform.Benchmarks;

/// <summary>
/// The real host as users run it: <c>dotnet Platform.Host.dll</c> in a child process, on free ports, with a fresh
/// data directory. Disposing kills it and deletes the data directory.
/// </summary>
public sealed class HostRunner : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-123456";
    private const int TailLines = 60;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly string _dataDirectory;

    private readonly bool _keepData;

    private HostRunner(Process process, Uri baseAddress, int siloPort, string dataDirectory, bool keepData)
    {
        _process = process;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
        _dataDirectory = dataDirectory;
        _keepData = keepData;
    }

    public Uri BaseAddress { get; }

    /// <summary>The Orleans silo port (<c>Platform:Cluster:SiloPort</c>): part of the host's silo address in a cluster.</summary>
    public int SiloPort { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>"running" or "exited with code N", for failure reports.</summary>
    public string State => _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";

    /// <summary>The last lines the host wrote (stdout and stderr), for failure reports.</summary>
    public string LogTail()
    {
        lock (_tail) return _tail.Count == 0 ? "(the host wrote nothing at level Warning or above)" : string.Join(Environment.NewLine, _tail);
    }

    /// <summary>
    /// Starts the host; <paramref name="extraArguments"/> (e.g. <c>--Platform:Identity:Enabled=false</c>) come after the
    /// harness's own. With <paramref name="dataDirectory"/>, the host uses (and keeps) that folder instead of a fresh one.
    /// </summary>
    public static HostRunner Start(RepoLayout layout, IReadOnlyList<string>? extraArguments = null, string? dataDirectory = null)
    {
        var keepData = dataDirectory is not null;
        if (dataDirectory is not null) Directory.CreateDirectory(dataDirectory);
        dataDirectory ??= Directory.CreateTempSubdirectory("platform-bench-").FullName;
        var (http, silo, gateway) = FreePorts();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            layout.HostDll,
            "--urls", $"http://127.0.0.1:{http}",
            $"--Platform:DataDirectory={dataDirectory}",
            $"--Platform:AdminKey={AdminKey}",
            "--Platform:Demo:Enabled=false",
            "--Platform:Sync:SafetyLagSeconds=0",
            $"--Platform:Cluster:SiloPort={silo}",
            $"--Platform:Cluster:GatewayPort={gateway}",
        }.Concat(extraArguments ?? [])) start.ArgumentList.Add(arg);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (HostLog is not null)
        {
            // Identity batches' timings (Debug) for profiling: PLATFORM_BENCH_HOST_LOG=<file> keeps every line the host writes.
            start.ArgumentList.Add("--Logging:LogLevel:Platform.Host.Customers.IdentityGrain=Debug");
            start.ArgumentList.Add("--Logging:Console:FormatterName=simple");
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var runner = new HostRunner(process, new Uri($"http://127.0.0.1:{http}/"), silo, dataDirectory, keepData);
        process.OutputDataReceived += (_, e) => runner.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => runner.Keep(e.Data);
        try
        {
            if (!process.Start()) throw new BenchmarkException($"could not start {start.FileName} {layout.HostDll}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            runner.DeleteDataDirectory();
            throw new BenchmarkException($"could not start '{start.FileName}' (is the dotnet CLI on PATH?): {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>Polls GET /health/ready until 200 and the sandbox plugin is loaded, or fails when the host exits or the deadline passes.</summary>
    public async Task WaitReadyAsync(ApiClient api, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        string last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new BenchmarkException($"the host exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}Host log tail:{Environment.NewLine}{LogTail()}");
            var (ready, body) = await api.ReadyAsync(ct);
            if (ready)
            {
                if (!body.Contains("\"sandbox\"", StringComparison.Ordinal))
                    throw new BenchmarkException($"the host is ready but the sandbox plugin is not loaded: {body}");
                return;
            }
            last = body;
            await Task.Delay(100, ct);
        }
        throw new BenchmarkException($"the host was not ready after {timeout.TotalSeconds:0} s (last answer: {last}).{Environment.NewLine}Host log tail:{Environment.NewLine}{LogTail()}");
    }

    private static readonly string? HostLog = Environment.GetEnvironmentVariable("PLATFORM_BENCH_HOST_LOG") is { Length: > 0 } path ? path : null;

    private void Keep(string? line)
    {
        if (line is null) return;
        if (HostLog is not null)
            lock (HostLog) File.AppendAllText(HostLog, line + Environment.NewLine);
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines) _tail.Dequeue();
        }
    }

    /// <summary>Three distinct free TCP ports on the loopback interface (HTTP, Orleans silo, Orleans gateway).</summary>
    private static (int Http, int Silo, int Gateway) FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    private void DeleteDataDirectory()
    {
        if (_keepData) return;
        if (Environment.GetEnvironmentVariable("PLATFORM_BENCH_KEEP_DATA") == "1")
        {
            Console.WriteLine($"data kept in {_dataDirectory} (PLATFORM_BENCH_KEEP_DATA=1)");
            return;
        }
        try
        {
            if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"warning: could not delete {_dataDirectory}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"warning: could not delete {_dataDirectory}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: the host (pid {_process.Id}) did not exit within 30 s of being killed");
        }
        _process.Dispose();
        DeleteDataDirectory();
    }
}
