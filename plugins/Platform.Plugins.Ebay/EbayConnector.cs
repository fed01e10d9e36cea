using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Abstractions;

namespace Platform.Plugins.Ebay;

/// <summary>One eBay seller account: orders, feedback received and buyer messages.</summary>
internal sealed class EbayConnector : IConnector
{
    /// <summary>eBay's getOrders keeps 90 days of history.</summary>
    public static readonly TimeSpan OrderHistory = TimeSpan.FromDays(90);
    /// <summary>Orders are walked in ranges of this length so a long backfill checkpoints as it goes.</summary>
    public static readonly TimeSpan OrderRange = TimeSpan.FromDays(10);
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);
    private const int OrderLimit = 200;     // getOrders maximum
    private const int FeedbackLimit = 200;  // getFeedback page size
    private const int MessageLimit = 50;    // getConversations / getConversation maximum
    private const string Marketplace = "eBay";

    private readonly ConnectorContext _context;
    private readonly EbaySettings _settings;
    private readonly IEbayApi _api;

    public EbayConnector(ConnectorContext context, EbaySettings settings, IEbayApi api)
    {
        _context = context;
        _settings = settings;
        _api = api;
    }

    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (root, _) = await GetPageAsync(ct => _api.GetOrdersAsync(null, 1, 0, ct), "orders", cancellationToken).ConfigureAwait(false);
            var total = root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : 0;
            return CheckResult.Success($"Connected to eBay ({_settings.MarketplaceId}): the seller's orders can be read ({total} in the last 90 days).");
        }
        catch (ConnectorAuthException e)
        {
            return CheckResult.Failure(e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return CheckResult.Failure($"Could not read eBay at {_settings.BaseUrl.GetLeftPart(UriPartial.Authority)}: {e.Message}");
        }
    }

    public IAsyncEnumerable<RecordPage> ReadAsync(StreamName stream, StreamCursor? cursor, ReadWindow window, CancellationToken cancellationToken) => stream switch
    {
        StreamName.Orders => ReadOrdersAsync(cursor?.Read<OrdersCursor>(), window, cancellationToken),
        StreamName.Reviews => ReadReviewsAsync(cursor?.Read<SinceCursor>(), window, cancellationToken),
        StreamName.Chats => ReadChatsAsync(cursor?.Read<ChatsCursor>(), window, cancellationToken),
        _ => throw new NotSupportedException($"eBay has no stream '{stream}'."),
    };

    // ---- orders ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Where the orders stream stands. Everything modified before <see cref="From"/> has been returned. While a range
    /// is being paged, <see cref="RangeTo"/> holds its end: getOrders does not sort by lastModifiedDate and offsets
    /// shift when orders change, so a resumed range is read again from its first page (overlap, never a gap).
    /// </summary>
    internal sealed record OrdersCursor(DateTimeOffset From, DateTimeOffset? RangeTo = null);

    private async IAsyncEnumerable<RecordPage> ReadOrdersAsync(OrdersCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var until = Truncate(window.Until);
        var from = Truncate(cursor?.From ?? window.Since);
        var floor = Truncate(_context.Clock.GetUtcNow() - OrderHistory + TimeSpan.FromMinutes(1));
        if (from < floor)
        {
            _context.Logger.LogInformation("eBay keeps 90 days of order history: reading orders modified since {Floor:O} instead of {From:O}", floor, from);
            from = floor;
        }
        var pendingTo = cursor?.RangeTo;
        while (from <= until)
        {
            ct.ThrowIfCancellationRequested();
            var to = pendingTo is { } p && p >= from && p <= until ? p : Min(from + OrderRange - Millisecond, until);
            pendingTo = null;
            var filter = $"lastmodifieddate:[{Format(from)}..{Format(to)}]";
            for (var offset = 0; ;)
            {
                ct.ThrowIfCancellationRequested();
                var rangeOffset = offset;
                var (root, items) = await GetPageAsync(c => _api.GetOrdersAsync(filter, OrderLimit, rangeOffset, c), "orders", ct).ConfigureAwait(false);
                var records = new List<SourceRecord>();
                var problems = new List<string>();
                foreach (var item in items)
                    Map(item, e => EbayMap.Order(e.Deserialize<EbayOrder>()!, e.GetRawText()), "order", "orderId", records, problems);
                offset += items.Count;
                var total = root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : offset;
                var hasNext = root.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String && next.GetString() is { Length: > 0 };
                var done = items.Count == 0 || offset >= total || !hasNext;
                yield return new RecordPage(records, StreamCursor.From(done ? new OrdersCursor(to + Millisecond) : new OrdersCursor(from, to))) { Problems = problems };
                if (done)
                    break;
            }
            from = to + Millisecond;
        }
    }

    // ---- reviews -----------------------------------------------------------------------------------------------

    /// <summary>Everything that changed at or before <see cref="Since"/> has been returned.</summary>
    internal sealed record SinceCursor(DateTimeOffset Since);

    /// <summary>
    /// getFeedback has no date filter and answers newest first: pages are read until an entry at or before the
    /// cursor; the checkpoint moves to the window's end only after the last page (earlier pages keep the old one).
    /// </summary>
    private async IAsyncEnumerable<RecordPage> ReadReviewsAsync(SinceCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var seller = SellerUsername("reviews");
        var lower = cursor?.Since ?? window.Since - TimeSpan.FromTicks(1);
        var until = window.Until;
        var unchanged = new SinceCursor(lower);
        for (var offset = 0; ;)
        {
            ct.ThrowIfCancellationRequested();
            var pageOffset = offset;
            var (root, items) = await GetPageAsync(c => _api.GetFeedbackAsync(seller, "FEEDBACK_RECEIVED", FeedbackLimit, pageOffset, c), "feedbackEntries", ct).ConfigureAwait(false);
            var records = new List<SourceRecord>();
            var problems = new List<string>();
            var reachedOld = false;
            foreach (var item in items)
            {
                var entered = item.TryGetProperty("feedbackEnteredDate", out var d) && d.TryGetDateTimeOffset(out var when) ? when : (DateTimeOffset?)null;
                if (entered is { } at && at <= lower)
                {
                    reachedOld = true;
                    continue;
                }
                if (entered is { } late && late > until)
                    continue;
                Map(item, e => EbayMap.Review(e.Deserialize<EbayFeedback>()!, e.GetRawText()), "feedback", "feedbackId", records, problems);
            }
            offset += items.Count;
            var total = root.TryGetProperty("pagination", out var pg) && pg.ValueKind == JsonValueKind.Object && pg.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : offset;
            var done = reachedOld || items.Count == 0 || offset >= total;
            yield return new RecordPage(records, StreamCursor.From(done ? new SinceCursor(Max(lower, until)) : unchanged)) { Problems = problems };
            if (done)
                yield break;
        }
    }

    // ---- chats -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Messages sent at or before <see cref="Since"/> have been returned. While a pass is under way, <see cref="RangeTo"/>
    /// is its end and <see cref="Done"/> the conversations already read up to it.
    /// </summary>
    internal sealed record ChatsCursor(DateTimeOffset Since, DateTimeOffset? RangeTo = null, IReadOnlyList<string>? Done = null);

    /// <summary>
    /// getConversations with start_time lists the conversations with a message since then (a conversation's latest
    /// message only moves forward, so none is missed); each conversation's messages are paged and those in
    /// (since, until] returned.
    /// </summary>
    private async IAsyncEnumerable<RecordPage> ReadChatsAsync(ChatsCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var seller = SellerUsername("chats");
        var lower = cursor?.Since ?? window.Since - TimeSpan.FromTicks(1);
        var rangeTo = cursor?.RangeTo is { } r && r > lower ? Min(r, window.Until) : window.Until;
        var done = new List<string>(cursor?.RangeTo is null ? [] : cursor.Done ?? []);
        while (true)
        {
            var conversations = new List<(string Id, string Type)>();
            var startTime = Format(Truncate(lower));
            for (var offset = 0; ;)
            {
                ct.ThrowIfCancellationRequested();
                var listOffset = offset;
                var (root, items) = await GetPageAsync(c => _api.GetConversationsAsync("FROM_MEMBERS", startTime, MessageLimit, listOffset, c), "conversations", ct).ConfigureAwait(false);
                foreach (var item in items)
                    if (item.TryGetProperty("conversationId", out var id) && id.GetString() is { Length: > 0 } cid && !conversations.Exists(x => x.Id == cid))
                        conversations.Add((cid, "FROM_MEMBERS"));
                offset += items.Count;
                var total = root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : offset;
                if (items.Count == 0 || offset >= total)
                    break;
            }

            foreach (var (conversationId, type) in conversations)
            {
                if (done.Contains(conversationId))
                    continue;
                for (var offset = 0; ;)
                {
                    ct.ThrowIfCancellationRequested();
                    var messageOffset = offset;
                    var (root, items) = await GetPageAsync(c => _api.GetConversationAsync(conversationId, type, MessageLimit, messageOffset, c), "messages", ct).ConfigureAwait(false);
                    var records = new List<SourceRecord>();
                    var problems = new List<string>();
                    foreach (var item in items)
                    {
                        var sent = item.TryGetProperty("createdDate", out var d) && d.TryGetDateTimeOffset(out var when) ? when : (DateTimeOffset?)null;
                        if (sent is { } at && (at <= lower || at > rangeTo))
                            continue;
                        Map(item, e =>
                        {
                            var message = e.Deserialize<EbayMessage>()!;
                            var outbound = string.Equals(message.SenderUsername, seller, StringComparison.OrdinalIgnoreCase);
                            var buyer = (outbound ? message.RecipientUsername : message.SenderUsername) ?? "";
                            return EbayMap.Message(message, conversationId, buyer, seller, e.GetRawText());
                        }, "message", "messageId", records, problems);
                    }
                    offset += items.Count;
                    var total = root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : offset;
                    var last = items.Count == 0 || offset >= total;
                    if (last)
                        done.Add(conversationId);
                    yield return new RecordPage(records, StreamCursor.From(new ChatsCursor(lower, rangeTo, [.. done]))) { Problems = problems };
                    if (last)
                        break;
                }
            }

            yield return new RecordPage([], StreamCursor.From(new ChatsCursor(rangeTo)));
            if (rangeTo >= window.Until)
                yield break;
            // A resumed pass ended before this run's bound: one more pass for the rest.
            lower = rangeTo;
            rangeTo = window.Until;
            done.Clear();
        }
    }

    // ---- shared ------------------------------------------------------------------------------------------------

    private string SellerUsername(string stream) => _settings.SellerUsername
        ?? throw new InvalidOperationException($"eBay {stream} need the seller's eBay username: set the store setting 'sellerUsername'.");

    private static void Map(JsonElement item, Func<JsonElement, SourceRecord> map, string what, string idField, List<SourceRecord> records, List<string> problems)
    {
        try
        {
            records.Add(map(item));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            var id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty(idField, out var v) ? v.ToString() : "?";
            problems.Add($"eBay {what} {id}: {e.Message}");
        }
    }

    /// <summary>Calls, checks the status, and reads the page's JSON and its <paramref name="arrayName"/> array.</summary>
    private async Task<(JsonElement Root, List<JsonElement> Items)> GetPageAsync(Func<CancellationToken, Task<HttpResponseMessage>> call, string arrayName, CancellationToken ct)
    {
        using var response = await Send(call, ct).ConfigureAwait(false);
        var endpoint = response.RequestMessage?.RequestUri?.AbsolutePath ?? "(unknown endpoint)";
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw Failure(response.StatusCode, endpoint, body);
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
                throw new JsonException("the answer is not a JSON object");
            if (!root.TryGetProperty(arrayName, out var array) || array.ValueKind == JsonValueKind.Null)
                return (root, []);
            if (array.ValueKind != JsonValueKind.Array)
                throw new JsonException($"'{arrayName}' is not an array");
            return (root, [.. array.EnumerateArray()]);
        }
        catch (JsonException e)
        {
            throw new MalformedPageException(Marketplace, endpoint, body, e);
        }
    }

    /// <summary>Refit wraps what the auth handler throws (a rejected refresh token): the connector throws the original.</summary>
    private static async Task<HttpResponseMessage> Send(Func<CancellationToken, Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        try
        {
            return await call(ct).ConfigureAwait(false);
        }
        catch (Refit.ApiRequestException e) when (e.InnerException is ConnectorAuthException or MalformedPageException or HttpRequestException or OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static Exception Failure(HttpStatusCode status, string endpoint, string body)
    {
        var detail = ErrorMessage(body);
        return status switch
        {
            HttpStatusCode.Unauthorized => new ConnectorAuthException("refreshToken",
                $"eBay rejected the access token obtained with the refresh token on {endpoint} even after renewing it{detail}: authorize the application again and save the new 'refreshToken'."),
            HttpStatusCode.Forbidden => new ConnectorAuthException("refreshToken",
                $"eBay refused {endpoint} (403{detail}): the 'refreshToken' lacks the scope this call needs; authorize the application again with the read scopes."),
            _ => new HttpRequestException($"eBay answered {endpoint} with {(int)status}{detail}.", null, status),
        };
    }

    private static string ErrorMessage(string body)
    {
        try
        {
            var errors = JsonSerializer.Deserialize<EbayErrorResponse>(body)?.Errors;
            return errors is { Count: > 0 } ? $": {errors[0].ErrorId} {errors[0].Message}" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    private static string Format(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
