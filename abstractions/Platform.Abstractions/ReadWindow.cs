namespace Platform.Abstractions;

/// <summary>The bounds of one read.</summary>
/// <param name="Since">Where a first read (no cursor) starts: the store's configured backfill date.</param>
/// <param name="Until">
/// The upper bound of the run: its start time minus a small safety lag. A connector never returns
/// records changed after it and never advances its cursor past it, so the next run starts exactly here.
/// </param>
public sealed record ReadWindow(DateTimeOffset Since, DateTimeOffset Until);
