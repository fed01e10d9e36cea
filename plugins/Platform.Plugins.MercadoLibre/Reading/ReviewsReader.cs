using System.Runtime.CompilerServices;
using Platform.Abstractions;
using Platform.Plugins.MercadoLibre.Api;

namespace Platform.Plugins.MercadoLibre.Reading;

/// <summary>
/// Where the reviews stream stands: every review written after <see cref="After"/> (exclusive) and up to
/// <see cref="Until"/> was returned for the listings up to <see cref="LastItem"/> (ordinal order), and the first
/// <see cref="Offset"/> reviews of <see cref="Item"/>. Without <see cref="Until"/>, everything up to After was returned.
/// </summary>
internal sealed record ReviewsCursor(DateTimeOffset After, DateTimeOffset? Until = null, string? LastItem = null, string? Item = null, int Offset = 0);

/// <summary>
/// Reviews have no "changed since" search: the reader lists the seller's listings (GET /users/{seller}/items/search),
/// reads each listing's reviews (GET /reviews/item/{item_id}) and keeps those written within (After, Until].
/// Listings are walked in ordinal id order so a checkpoint can name the last one finished.
/// </summary>
internal sealed class ReviewsReader(IMercadoLibreApi api, string sellerId)
{
    public const int ItemsLimit = 50;
    public const int ReviewsLimit = 50;

    public async IAsyncEnumerable<RecordPage> ReadAsync(StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var windowUntil = Time.Ms(window.Until);
        var at = cursor?.Read<ReviewsCursor>() ?? new ReviewsCursor(Time.Ms(window.Since) - Time.Tick);
        if (at.Until is { } u && u > windowUntil)
            at = new ReviewsCursor(at.After);
        var until = at.Until ?? windowUntil;
        if (at.After >= until)
            yield break;

        var items = await ListItemsAsync(ct).ConfigureAwait(false);
        var lastItem = at.LastItem;
        foreach (var item in items.Where(i => at.LastItem is null || string.CompareOrdinal(i, at.LastItem) > 0))
        {
            var offset = item == at.Item ? at.Offset : 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var response = await Pages.SendAsync(() => api.ItemReviews(item, offset, ReviewsLimit, ct)).ConfigureAwait(false);
                var (page, path) = await Pages.ReadAsync<ReviewsResponse>(response, p => p.Reviews is not null && p.Paging is not null, ct).ConfigureAwait(false);
                var problems = new List<string>();
                var records = new List<SourceRecord>();
                for (var i = 0; i < page.Reviews!.Count; i++)
                {
                    if (Pages.Element<ReviewDto>(page.Reviews[i], path, offset + i, problems) is not { } review)
                        continue;
                    var record = Map.Review(review, page.Reviews[i]);
                    if (record.UpdatedAt > at.After && record.UpdatedAt <= until)
                        records.Add(record);
                }
                offset += page.Reviews.Count;
                var done = page.Reviews.Count == 0 || offset >= page.Paging!.Total;
                var checkpoint = done
                    ? new ReviewsCursor(at.After, until, item)
                    : new ReviewsCursor(at.After, until, lastItem, item, offset);
                yield return new RecordPage(records, StreamCursor.From(checkpoint)) { Problems = problems };
                if (done)
                    break;
            }
            lastItem = item;
        }
        yield return new RecordPage([], StreamCursor.From(new ReviewsCursor(until)));
    }

    private async Task<List<string>> ListItemsAsync(CancellationToken ct)
    {
        var items = new SortedSet<string>(StringComparer.Ordinal);
        var offset = 0;
        while (true)
        {
            var response = await Pages.SendAsync(() => api.SearchItems(sellerId, offset, ItemsLimit, ct)).ConfigureAwait(false);
            var (page, _) = await Pages.ReadAsync<ItemsSearchResponse>(response, p => p.Results is not null && p.Paging is not null, ct).ConfigureAwait(false);
            items.UnionWith(page.Results!);
            offset += page.Results!.Count;
            if (page.Results.Count == 0 || offset >= page.Paging!.Total)
                return [.. items];
        }
    }
}
