using System.Globalization;

namespace Platform.Benchmarks;

/// <summary>Reads a process's memory counters from <c>/proc/&lt;pid&gt;/status</c> (Linux), in bytes; null elsewhere or once it exited.</summary>
public static class ProcMemory
{
    /// <summary>Resident set size now.</summary>
    public static long? Rss(int pid) => Read(pid, "VmRSS:");

    /// <summary>Peak resident set size ("high water mark") since the process started.</summary>
    public static long? Peak(int pid) => Read(pid, "VmHWM:");

    private static long? Read(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * (parts.Length > 1 && parts[1] == "kB" ? 1024 : 1);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}

/// <summary>Samples a process's RSS every 200 ms in the background and keeps the maximum.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _max;

    public RssSampler(int pid)
    {
        _loop = SampleAsync(pid, _stop.Token);
    }

    public long MaxBytes => Interlocked.Read(ref _max);

    private async Task SampleAsync(int pid, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        do
        {
            if (ProcMemory.Rss(pid) is { } rss && rss > Interlocked.Read(ref _max)) Interlocked.Exchange(ref _max, rss);
        }
        while (await WaitAsync(timer, ct));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>
/// CPU time a process used so far (user + system, from <c>/proc/&lt;pid&gt;/stat</c>), in seconds; null elsewhere.
/// Next to wall time it shows how much of a step was work and how much was waiting for a core on a loaded machine.
/// </summary>
public static class ProcCpu
{
    /// <summary>Clock ticks per second of the stat counters (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static double? Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which is in parentheses and may hold spaces): state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
