namespace Platform.Abstractions;

/// <summary>The records of one page and the checkpoint to resume after them.</summary>
/// <param name="Records">Orders, reviews or chat messages, matching the stream that was read.</param>
/// <param name="Checkpoint">The cursor after this page; committed together with <paramref name="Records"/>.</param>
public sealed record RecordPage(IReadOnlyList<SourceRecord> Records, StreamCursor Checkpoint);
