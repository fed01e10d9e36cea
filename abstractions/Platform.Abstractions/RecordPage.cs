namespace Platform.Abstractions;

/// <summary>The records of one page and the checkpoint to resume after them.</summary>
/// <param name="Records">Orders, reviews or chat messages, matching the stream that was read.</param>
/// <param name="Checkpoint">The cursor after this page; committed together with <paramref name="Records"/>.</param>
public sealed record RecordPage(IReadOnlyList<SourceRecord> Records, StreamCursor Checkpoint)
{
    /// <summary>
    /// Source items the connector could not read and left out of <see cref="Records"/>, each in words that say where
    /// (a file and line, an endpoint and item) and what is wrong. The host counts them as skipped and keeps the first
    /// ones on the run (<c>warnings</c>), so the merchant sees them; the run still succeeds.
    /// </summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
