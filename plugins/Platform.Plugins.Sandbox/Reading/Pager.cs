using System.Runtime.CompilerServices;
using System.Text.Json;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;
using Platform.Plugins.Sandbox.Orders;

namespace Platform.Plugins.Sandbox.Reading;

/// <summary>
/// The incremental read of one stream: the records changed after the cursor (or since the window start) up to
/// the window end, as they stand now, sorted by (ChangedAt, ExternalId) and returned in pages.
/// </summary>
/// <remarks>
/// The range is walked in slices of ChangedAt so that memory stays bounded on long backfills. For each slice,
/// orders created from 25 days before it are scanned cheaply (timeline only) and their records' skeletons kept
/// when they changed inside it; full records are built only for the pages returned.
/// </remarks>
internal sealed class Pager(OrderPlanner planner, StreamSource source, TimeProvider clock)
{
    /// <summary>About this many skeletons per slice at most (slices are 1 to 30 days long).</summary>
    private const double SkeletonsPerSlice = 200_000;

    private SandboxSettings Settings => planner.Store.Settings;

    public async IAsyncEnumerable<RecordPage> ReadAsync(
        StreamName stream, StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var after = Parse(cursor);
        var nowTime = clock.GetUtcNow();
        var now = UnixTime.SecondsOf(nowTime);
        var from = after?.Ticks ?? window.Since.UtcTicks;
        var to = Math.Min(window.Until.UtcTicks, nowTime.UtcTicks);
        var sliceTicks = (long)Math.Clamp(Math.Floor(SkeletonsPerSlice / Settings.OrdersPerDay), 1, 30) * TimeSpan.TicksPerDay;

        using var session = new ReadSession(planner.Store);
        var page = new List<Skeleton>(Settings.PageSize);
        var pageNumber = 0;
        var sliceStart = from;
        while (sliceStart <= to)
        {
            var sliceEnd = to - sliceStart < sliceTicks ? to : sliceStart + sliceTicks - 1;
            var collector = new SkeletonCollector(sliceStart, sliceEnd, after);
            Scan(collector, now, cancellationToken);
            collector.Items.Sort();
            foreach (var skeleton in collector.Items)
            {
                page.Add(skeleton);
                if (page.Count < Settings.PageSize)
                    continue;
                yield return await CompleteAsync(stream, ++pageNumber, page, now, session, cancellationToken);
                page.Clear();
            }
            if (sliceEnd == to)
                break;
            sliceStart = sliceEnd + 1;
        }
        if (page.Count > 0)
            yield return await CompleteAsync(stream, ++pageNumber, page, now, session, cancellationToken);
    }

    private void Scan(SkeletonCollector collector, long now, CancellationToken cancellationToken)
    {
        var firstDay = Math.Max(UnixTime.FirstDay, UnixTime.DayOfTicks(collector.From) - OrderTimeline.MaxSpanDays);
        var lastDay = UnixTime.DayOfTicks(collector.To);
        for (var day = firstDay; day <= lastDay; day++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = planner.CountOn(day);
            for (var k = 1; k <= count; k++)
            {
                var timeline = planner.Timeline(day, k, count);
                if (timeline.Created <= now)
                    source.Collect(day, k, timeline, now, collector);
            }
        }
    }

    private async Task<RecordPage> CompleteAsync(
        StreamName stream, int pageNumber, List<Skeleton> page, long now, ReadSession session, CancellationToken cancellationToken)
    {
        if (Settings.PageDelayMs > 0)
            await Task.Delay(TimeSpan.FromMilliseconds(Settings.PageDelayMs), clock, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (pageNumber == Settings.FailAtPage)
            throw new InvalidOperationException(
                $"The sandbox marketplace returned page {pageNumber} of the {stream.ToWire()} stream in a shape that could not be parsed " +
                $"(simulated by the failAtPage setting). Endpoint: sandbox://{planner.Store.Hex}/{stream.ToWire()}?page={pageNumber}; " +
                "snippet: {\"order_sn\":\"SBX…\",\"total_amount\":\"12,9O\",…");

        var records = new SourceRecord[page.Count];
        for (var i = 0; i < page.Count; i++)
            records[i] = source.Materialize(page[i], now, session);
        var last = page[^1];
        return new RecordPage(records, StreamCursor.From(new CursorKey(UnixTime.TimeOfTicks(last.ChangedTicks), last.ExternalId)));
    }

    private static ReadPosition? Parse(StreamCursor? cursor)
    {
        if (cursor is null)
            return null;
        CursorKey? key;
        try
        {
            key = JsonSerializer.Deserialize<CursorKey>(cursor.Json, JsonSerializerOptions.Web);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"The sandbox cannot read the cursor {cursor.Json}: {e.Message}", nameof(cursor), e);
        }
        if (key is null || key.ChangedAt == default || string.IsNullOrEmpty(key.ExternalId))
            throw new ArgumentException(
                $"The sandbox cannot read the cursor {cursor.Json}: it needs changedAt and externalId.", nameof(cursor));
        return new ReadPosition(key.ChangedAt.UtcTicks, key.ExternalId);
    }

    /// <summary>The checkpoint after a page: the key of its last record.</summary>
    private sealed record CursorKey(DateTimeOffset ChangedAt, string ExternalId);
}
