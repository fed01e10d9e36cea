using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Platform.Host.Tests.Support;

/// <summary>
/// The real host as its users run it: a separate process on a free port with its own data directory,
/// configured only through command-line keys of api.md. Can be killed (SIGKILL) and restarted on the same data.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    private readonly Dictionary<string, string> _settings;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public HostProcess(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        _settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Platform:DataDirectory"] = dataDirectory,
        };
        _settings.TryAdd("Platform:AdminKey", AdminKey);
        _settings.TryAdd("Platform:Demo:Enabled", "false");
        _settings.TryAdd("Platform:Sync:SafetyLagSeconds", "0");
    }

    public string DataDirectory { get; }
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");
    public string Log { get { lock (_log) return _log.ToString(); } }
    public bool HasExited => _process?.HasExited ?? true;
    /// <summary>The host's process id while it runs (for tests that change its limits, e.g. <c>prlimit</c>).</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public HttpClient Client(string? apiKey = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Starts the process and waits until /health/ready answers 200 (or the process exits).</summary>
    public async Task StartAsync(bool waitForReady = true)
    {
        // Three different ports at once (one at a time, the system may hand out the same free port twice).
        var ports = TestPaths.FreePorts(3);
        BaseAddress = new Uri($"http://127.0.0.1:{ports[0]}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        info.ArgumentList.Add(TestPaths.HostAssembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        var settings = new Dictionary<string, string>(_settings);
        settings.TryAdd("Platform:Cluster:SiloPort", ports[1].ToString());
        settings.TryAdd("Platform:Cluster:GatewayPort", ports[2].ToString());
        foreach (var (k, v) in settings) info.ArgumentList.Add($"--{k}={v}");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!waitForReady) return;

        using var client = Client(null);
        await Eventually.Until(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"host exited with {_process.ExitCode}:\n{Log}");
            try { return (await client.GetAsync("/health/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(90), () => "host never became ready:\n" + Log);
    }

    /// <summary>Waits for the process to exit by itself (for start-up failures).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // the process has exited: this only waits for its redirected output to be read to the end
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crashed container.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>A graceful stop (SIGTERM), as an orchestrator does.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill!.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { await KillAsync(); }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}

/// <summary>Polling with a deadline instead of sleeping.</summary>
public static class Eventually
{
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? because = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException(because?.Invoke() ?? $"condition not met within {timeout}");
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 500));
        }
    }

    /// <summary>Whether <paramref name="condition"/> became true within <paramref name="timeout"/> (for checking that something does NOT happen).</summary>
    public static async Task<bool> Within(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }
}

public static class Json
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrWhiteSpace(text)) return default;
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) => client.PutAsJsonAsync(url, body);
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);
}
