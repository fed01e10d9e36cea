namespace Platform.Host.Storage;

/// <summary>
/// Orders this process's write transactions. SQLite has one writer at a time; without the gate, a writer that
/// finds the database busy sleeps in SQLite's busy handler (up to 100 ms a try) while the other commits. Waiting
/// here hands the lock over at once. Held only around a transaction, never across a grain call.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        return new Release(_gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
