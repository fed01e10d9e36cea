namespace Platform.Abstractions;

/// <summary>Reads one marketplace account (a store). Never writes to the host, never retries by hand.</summary>
public interface IConnector
{
    /// <summary>Checks credentials and reachability; the message is shown to the merchant as it is.</summary>
    Task<CheckResult> CheckAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads the records of <paramref name="stream"/> changed after <paramref name="cursor"/> (or since
    /// <see cref="ReadWindow.Since"/> when there is no cursor yet) up to <see cref="ReadWindow.Until"/>, as pages.
    /// Each page carries the checkpoint to resume after it; the host commits a page's records and its
    /// checkpoint together, so a connector must never return a checkpoint past records it has not yet returned.
    /// </summary>
    IAsyncEnumerable<RecordPage> ReadAsync(StreamName stream, StreamCursor? cursor, ReadWindow window, CancellationToken cancellationToken);
}
