using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Abstractions;
using Platform.Plugins.WooCommerce.Api;
using Refit;

namespace Platform.Plugins.WooCommerce;

/// <summary>
/// Reads one WooCommerce shop. Orders are walked by modification time (<c>orderby=modified</c>, oldest first) and
/// each page re-queries from the last record returned, so an order modified mid-read cannot shift page numbers
/// under the reader; reviews are walked by creation time with page numbers.
/// </summary>
internal sealed class WooCommerceConnector : IConnector
{
    private const string Marketplace = "WooCommerce";
    private const int PerPage = 100; // the API's maximum

    // Review date filters (after/before) are compared with the review's local date in the site's time zone,
    // which the API does not tell: the query is widened by the largest offset (UTC+14/−12) and the reviews are
    // then filtered by date_created_gmt.
    private static readonly TimeSpan SiteZoneSlack = TimeSpan.FromHours(14);

    private readonly ConnectorContext _context;
    private readonly WooCommerceSettings _settings;
    private readonly IWooCommerceApi _api;

    public WooCommerceConnector(ConnectorContext context, WooCommerceSettings settings)
    {
        _context = context;
        _settings = settings;
        var http = context.CreateHttpClient(settings.ApiRoot, new BasicAuthHandler(settings.ConsumerKey, settings.ConsumerSecret));
        _api = RestService.For<IWooCommerceApi>(http);
    }

    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _api.ProbeOrdersAsync(1, cancellationToken).ConfigureAwait(false);
            var path = PathOf(response);
            await EnsureSuccessAsync(response, path, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!IsJsonArray(body))
                return CheckResult.Failure($"{_settings.BaseUrl} answered {path} with something other than WooCommerce's JSON: check baseUrl (it should be the shop's address, with the WooCommerce REST API enabled).");
            return CheckResult.Success($"Connected to the WooCommerce shop at {_settings.BaseUrl}: the REST API key can read orders.");
        }
        catch (ConnectorAuthException e)
        {
            return CheckResult.Failure(e.Message);
        }
        catch (HttpRequestException e)
        {
            return CheckResult.Failure(e.StatusCode is null
                ? $"Could not reach the shop at {_settings.BaseUrl} ({e.Message}): check baseUrl."
                : e.Message);
        }
        catch (InvalidOperationException e)
        {
            return CheckResult.Failure(e.Message);
        }
    }

    public IAsyncEnumerable<RecordPage> ReadAsync(StreamName stream, StreamCursor? cursor, ReadWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        return stream switch
        {
            StreamName.Orders => ReadPagesAsync(Orders, cursor, window, cancellationToken),
            StreamName.Reviews => ReadPagesAsync(Reviews, cursor, window, cancellationToken),
            _ => throw new NotSupportedException($"WooCommerce has no {stream.ToWire()} stream: the plugin reads orders and reviews."),
        };
    }

    // ---- streams ---------------------------------------------------------------------------------------

    /// <summary>How one stream is listed and read.</summary>
    private sealed record Listing(
        string Name,
        Func<DateTimeOffset, DateTimeOffset, int, CancellationToken, Task<HttpResponseMessage>> Fetch,
        TimeSpan Slack,
        bool RequeryFromKey,
        Func<JsonElement, Item> Read);

    /// <summary>One item of a page: its id and change time when readable, the record, or why it was left out.</summary>
    private sealed record Item(long Id, DateTimeOffset? ChangedAt, SourceRecord? Record, string? Problem);

    private Listing Orders => new(
        "orders",
        (after, before, page, ct) => _api.ListOrdersAsync(Wire(after), Wire(before), "true", "modified", "asc", PerPage, page, ct),
        TimeSpan.FromSeconds(1), // modified_after/modified_before are exclusive (WordPress date queries)
        RequeryFromKey: true,
        element => ReadItem<WooOrder>(element, "order", o => o.Id, o => Map.Order(o, element.GetRawText()), o => o.DateModifiedGmt, "date_modified_gmt"));

    private Listing Reviews => new(
        "reviews",
        (after, before, page, ct) => _api.ListReviewsAsync(Wire(after), Wire(before), "date_gmt", "asc", PerPage, page, ct),
        SiteZoneSlack + TimeSpan.FromSeconds(1),
        RequeryFromKey: false,
        element => ReadItem<WooReview>(element, "review", r => r.Id, r => Map.Review(r, element.GetRawText()), r => r.DateCreatedGmt, "date_created_gmt",
            r => r.Rating is < 1 or > 5 ? $"review {r.Id} has no star rating ({r.Rating}); left out" : null));

    private static Item ReadItem<T>(JsonElement element, string kind, Func<T, long> id, Func<T, SourceRecord?> map, Func<T, string?> changed, string changedField, Func<T, string?>? skip = null)
        where T : class
    {
        T? dto;
        try
        {
            dto = element.Deserialize<T>();
        }
        catch (JsonException e)
        {
            return new Item(0, null, null, $"a {kind} could not be read ({e.Message}): {MalformedPageException.Snippet(element.GetRawText())}");
        }
        if (dto is null)
            return new Item(0, null, null, $"a {kind} is null");
        DateTimeOffset? at = null;
        try
        {
            at = Map.Gmt(changed(dto), changedField);
            if (skip?.Invoke(dto) is { } reason)
                return new Item(id(dto), at, null, reason);
            return map(dto) is { } record
                ? new Item(id(dto), at, record, null)
                : new Item(id(dto), at, null, $"{kind} {id(dto)} was left out");
        }
        catch (FormatException e)
        {
            return new Item(id(dto), at, null, $"{kind} {id(dto)} could not be read: {e.Message}");
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------

    private async IAsyncEnumerable<RecordPage> ReadPagesAsync(Listing listing, StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var key = cursor?.Read<SyncKey>() ?? new SyncKey(window.Since.ToUniversalTime(), []);
        var until = window.Until.ToUniversalTime();
        var queryAfter = Floor(key.Time) - listing.Slack;
        var queryBefore = Ceiling(until) + listing.Slack;
        var page = 1;
        var emitted = false;

        while (key.Time <= until)
        {
            ct.ThrowIfCancellationRequested();
            var (items, totalPages) = await FetchPageAsync(listing, queryAfter, queryBefore, page, ct).ConfigureAwait(false);
            var records = new List<SourceRecord>();
            var problems = new List<string>();
            var pastWindow = false;
            foreach (var item in items)
            {
                if (item.ChangedAt is not { } at)
                {
                    problems.Add($"{listing.Name} page {page}: {item.Problem}");
                    continue;
                }
                if (at > until)
                {
                    pastWindow = true; // oldest first: the rest is for the next run
                    continue;
                }
                if (key.Covers(at, item.Id))
                    continue;
                key = key.After(at, item.Id);
                if (item.Record is { } record)
                    records.Add(record);
                else
                    problems.Add($"{listing.Name} page {page}: {item.Problem}");
            }
            _context.Logger.LogDebug("WooCommerce {Stream} page {Page}/{Pages}: {Items} items, {Records} new", listing.Name, page, totalPages, items.Count, records.Count);

            if (records.Count > 0 || problems.Count > 0)
            {
                emitted = true;
                yield return new RecordPage(records, StreamCursor.From(key)) { Problems = problems };
            }

            if (pastWindow || items.Count < PerPage || (totalPages is { } pages && page >= pages))
                break;
            var fromKey = Floor(key.Time) - listing.Slack;
            if (listing.RequeryFromKey && records.Count > 0 && fromKey > queryAfter)
            {
                queryAfter = fromKey;
                page = 1;
            }
            else
                page++;
        }

        // Everything up to the window's end was read: the next run starts there.
        var end = Floor(until);
        if (key.Time < end)
            key = new SyncKey(end, []);
        else if (emitted)
            yield break;
        yield return new RecordPage([], StreamCursor.From(key));
    }

    private async Task<(IReadOnlyList<Item> Items, int? TotalPages)> FetchPageAsync(Listing listing, DateTimeOffset after, DateTimeOffset before, int page, CancellationToken ct)
    {
        using var response = await listing.Fetch(after, before, page, ct).ConfigureAwait(false);
        var path = PathOf(response);
        await EnsureSuccessAsync(response, path, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        int? totalPages = response.Headers.TryGetValues("X-WP-TotalPages", out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new MalformedPageException(Marketplace, path, body, new JsonException($"expected a JSON array of {listing.Name}, got {document.RootElement.ValueKind}"));
            return ([.. document.RootElement.EnumerateArray().Select(listing.Read)], totalPages);
        }
        catch (JsonException e)
        {
            throw new MalformedPageException(Marketplace, path, body, e);
        }
    }

    // ---- errors ----------------------------------------------------------------------------------------

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var error = ReadError(body);
        var said = error?.Code is { Length: > 0 } code ? $"{code}: {Shorten(error.Message)}" : MalformedPageException.Snippet(body);
        var status = (int)response.StatusCode;
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new ConnectorAuthException(WooCommerceSettings.ConsumerKeyName,
                    $"WooCommerce rejected the REST API key ({status} {said}): check consumerKey and consumerSecret. The key must exist on the shop and have Read permission.");
            case HttpStatusCode.NotFound:
                throw new InvalidOperationException(
                    $"{_settings.BaseUrl} has no WooCommerce REST API at {path} (404 {said}): check baseUrl, and that WooCommerce is active and permalinks are not set to 'Plain'.");
            case HttpStatusCode.BadRequest:
                throw new InvalidOperationException($"{Marketplace} refused {path} (400 {said}); the shop's WooCommerce may be too old (5.8 or later is needed).");
            default:
                throw new HttpRequestException($"{Marketplace} answered {path} with {status} {said}", null, response.StatusCode);
        }
    }

    private static WooError? ReadError(string body)
    {
        try
        {
            return body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<WooError>(body) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJsonArray(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private string PathOf(HttpResponseMessage response) =>
        response.RequestMessage?.RequestUri?.AbsolutePath ?? _settings.ApiRoot.AbsolutePath;

    private static string Shorten(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");

    /// <summary>ISO 8601 without offset: with <c>dates_are_gmt=true</c> it is read as UTC.</summary>
    private static string Wire(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static DateTimeOffset Floor(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset Ceiling(DateTimeOffset time) =>
        Floor(time) == time ? Floor(time) : Floor(time).AddSeconds(1);
}
