using System.Runtime.CompilerServices;
using Platform.Abstractions;
using Platform.Plugins.MercadoLibre.Api;

namespace Platform.Plugins.MercadoLibre.Reading;

/// <summary>
/// Where the orders stream stands. <see cref="From"/> is inclusive: everything last updated before it was returned.
/// While a range is being paged, <see cref="To"/> and <see cref="Offset"/> hold it: /orders/search sorts by creation
/// date, not by update, so within a range only the offset of the fixed range says what was returned.
/// </summary>
internal sealed record OrdersCursor(DateTimeOffset From, DateTimeOffset? To = null, int Offset = 0);

/// <summary>
/// Orders by last update: GET /orders/search?seller=…&amp;order.date_last_updated.from=…&amp;order.date_last_updated.to=…
/// &amp;sort=date_asc&amp;offset=…&amp;limit=50, walked in ranges of last-update time up to the window's bound. A range
/// whose result count passes what offsets can reach (10,000) is halved until it fits.
/// </summary>
internal sealed class OrdersReader(IMercadoLibreApi api, string sellerId)
{
    public const int Limit = 50;
    public const int MaxResults = 10_000;

    public async IAsyncEnumerable<RecordPage> ReadAsync(StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var until = Time.Ms(window.Until);
        var at = cursor?.Read<OrdersCursor>() ?? new OrdersCursor(Time.Ms(window.Since));
        var from = at.From;
        var fixedTo = at.To;
        var offset = at.Offset;
        if (fixedTo is { } t && t > until)
            (fixedTo, offset) = (null, 0); // the range cannot be finished inside this window: page it again, shorter

        var seen = new HashSet<long>();
        while (from <= until)
        {
            ct.ThrowIfCancellationRequested();
            var to = fixedTo ?? until;
            var (page, path) = await FetchAsync(from, to, offset, ct).ConfigureAwait(false);
            if (fixedTo is null)
            {
                while (page.Paging!.Total > MaxResults && to - from > TimeSpan.FromSeconds(1))
                {
                    to = Time.Ms(from + (to - from) / 2);
                    (page, path) = await FetchAsync(from, to, 0, ct).ConfigureAwait(false);
                }
                fixedTo = to;
                seen.Clear();
            }

            var problems = new List<string>();
            var records = new List<SourceRecord>();
            var results = page.Results!;
            for (var i = 0; i < results.Count; i++)
            {
                if (Pages.Element<OrderDto>(results[i], path, offset + i, problems) is not { } order)
                    continue;
                if (seen.Add(order.Id))
                    records.Add(Map.Order(order, results[i]));
            }
            offset += results.Count;
            var done = results.Count == 0 || offset >= page.Paging!.Total || offset >= MaxResults;
            var checkpoint = done ? new OrdersCursor(to + Time.Tick) : new OrdersCursor(from, to, offset);
            yield return new RecordPage(records, StreamCursor.From(checkpoint)) { Problems = problems };

            if (done)
                (from, fixedTo, offset) = (to + Time.Tick, null, 0);
        }
    }

    private async Task<(OrdersSearchResponse Page, string Path)> FetchAsync(DateTimeOffset from, DateTimeOffset to, int offset, CancellationToken ct)
    {
        var response = await Pages.SendAsync(() => api.SearchOrders(sellerId, Time.Format(from), Time.Format(to), "date_asc", offset, Limit, ct)).ConfigureAwait(false);
        return await Pages.ReadAsync<OrdersSearchResponse>(response, p => p.Results is not null && p.Paging is not null, ct).ConfigureAwait(false);
    }
}
