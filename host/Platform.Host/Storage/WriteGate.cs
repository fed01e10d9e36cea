using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Platform.Host.Storage;

/// <summary>
/// Orders this process's write transactions. SQLite has one writer at a time; without the gate, a writer that
/// finds the database busy sleeps in SQLite's busy handler (up to 100 ms a try) while the other commits. Waiting
/// here hands the lock over at once. Held only around a transaction, never across a grain call.
/// Measures how long each kind of writer waits for and holds it (<c>platform.db.write_lock.*</c>, tagged
/// <c>writer</c>): a host whose writers queue here is bound by the database, not by the marketplaces.
/// Each write is a span too (<c>db write</c>, from waiting for the lock until it is released), a child of whatever
/// the writer is doing: a sync run's page, an identity batch, a scoring.
/// </summary>
public sealed class WriteGate
{
    public const string MeterName = "Platform.Host";
    private static readonly Meter Meter = new(MeterName);
    private static readonly ActivitySource Source = new(MeterName);
    private static readonly Histogram<double> Held = Meter.CreateHistogram<double>("platform.db.write_lock.held", "ms", "How long a writer held the database's write lock");
    private static readonly Histogram<double> Waited = Meter.CreateHistogram<double>("platform.db.write_lock.wait", "ms", "How long a writer waited for the database's write lock");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, double[]> _totals = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(CancellationToken ct, [CallerFilePath] string caller = "")
    {
        var writer = Path.GetFileNameWithoutExtension(caller);
        var span = Source.StartActivity("db write", ActivityKind.Internal);
        span?.SetTag("platform.db.writer", writer);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _gate.WaitAsync(ct);
        }
        catch
        {
            span?.Dispose();
            throw;
        }
        var entered = Stopwatch.GetTimestamp();
        var waited = Stopwatch.GetElapsedTime(started, entered).TotalMilliseconds;
        Waited.Record(waited, new KeyValuePair<string, object?>("writer", writer));
        span?.SetTag("platform.db.write_lock.wait_ms", Math.Round(waited, 1));
        return new Release(this, writer, entered, waited, span);
    }

    /// <summary>Per writer since start: total milliseconds waited and held, and how many times.</summary>
    public IReadOnlyDictionary<string, (double WaitedMs, double HeldMs, long Times)> Totals() =>
        _totals.ToDictionary(kv => kv.Key, kv => { lock (kv.Value) return (kv.Value[0], kv.Value[1], (long)kv.Value[2]); }, StringComparer.Ordinal);

    private void Released(string writer, double waited, double held)
    {
        Held.Record(held, new KeyValuePair<string, object?>("writer", writer));
        var t = _totals.GetOrAdd(writer, _ => new double[3]);
        lock (t) { t[0] += waited; t[1] += held; t[2]++; }
    }

    private sealed class Release(WriteGate owner, string writer, long entered, double waited, Activity? span) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            var held = Stopwatch.GetElapsedTime(entered).TotalMilliseconds;
            owner._gate.Release();
            owner.Released(writer, waited, held);
            span?.Dispose();
        }
    }
}
