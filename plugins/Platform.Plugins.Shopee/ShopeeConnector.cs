using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Abstractions;
using Refit;

namespace Platform.Plugins.Shopee;

/// <summary>Where the orders stream stands: everything updated up to <paramref name="Through"/> (Unix seconds) is read; a window (Through, WindowTo] may be part-read up to page <paramref name="Page"/>.</summary>
internal sealed record OrdersCursor(long Through, long? WindowTo = null, string? Page = null);

/// <summary>Where the reviews stream stands: comments changed up to <paramref name="Through"/> are read; a pass up to <paramref name="Until"/> may be part-read up to page <paramref name="Page"/>.</summary>
internal sealed record ReviewsCursor(long Through, long? Until = null, string? Page = null);

/// <summary>Where the chats stream stands: messages sent up to <paramref name="Through"/> are read; a pass up to <paramref name="Until"/> may have read the conversations in <paramref name="Done"/>.</summary>
internal sealed record ChatsCursor(long Through, long? Until = null, IReadOnlyList<string>? Done = null);

/// <summary>An answer of Shopee that is an error but not a credential problem (for example <c>error_param</c>).</summary>
public sealed class ShopeeApiException(string message) : Exception(message);

/// <summary>One Shopee shop, through Open Platform API v2.</summary>
internal sealed class ShopeeConnector : IConnector
{
    /// <summary>Shopee rejects get_order_list windows wider than 15 days.</summary>
    public const long MaxWindowSeconds = 15 * 86_400;
    public const int OrderPageSize = 100;
    public const int DetailBatch = 50;
    public const int CommentPageSize = 100;
    public const int ConversationPageSize = 20;
    public const int MessagePageSize = 50;

    public const string OrderDetailFields =
        "buyer_user_id,buyer_username,estimated_shipping_fee,recipient_address,actual_shipping_fee,item_list,pay_time,total_amount,payment_method,shipping_carrier,note";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString };

    private readonly ConnectorContext _context;
    private readonly ShopeeSettings _settings;
    private readonly IShopeeApi _api;

    public ShopeeConnector(ConnectorContext context, ShopeeSettings settings)
    {
        _context = context;
        _settings = settings;
        Tokens = new ShopeeTokens(context.Tokens, settings);
        // Signing and refresh sit outside the host's pipeline: its retries resend the signed request as it is.
        var http = context.CreateHttpClient(settings.BaseUrl, new ShopeeAuthHandler(settings, context.Clock, Tokens));
        _api = RestService.For<IShopeeApi>(http, new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(Json) });
        Tokens.Refresher = RefreshAsync;
    }

    internal ShopeeTokens Tokens { get; }

    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _api.GetShopInfoAsync(cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (ResponseError(response) is { } error)
                    return CheckResult.Failure($"Shopee answered the shop check with {Describe(error.StatusCode, error.Content)}.");
                var info = response.Content;
                if (info is null)
                    return CheckResult.Failure("Shopee answered the shop check with an empty page.");
                if (!string.IsNullOrEmpty(info.Error))
                    return CheckResult.Failure($"Shopee answered the shop check with {info.Error}: {info.Message}. Check 'shopId' and 'partnerId'.");
                return CheckResult.Success($"Connected to the Shopee shop '{info.ShopName}' ({info.Region}, status {info.Status}).");
            }
        }
        catch (ConnectorAuthException e)
        {
            return CheckResult.Failure(e.Message);
        }
        catch (MalformedPageException e)
        {
            return CheckResult.Failure(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Network failures, timeouts, an open circuit: none of their messages carry the query (and its secrets).
            return CheckResult.Failure($"Shopee could not be reached at {_settings.BaseUrl.GetLeftPart(UriPartial.Authority)} ({e.GetType().Name}: {e.Message}). Check 'baseUrl'.");
        }
    }

    public IAsyncEnumerable<RecordPage> ReadAsync(StreamName stream, StreamCursor? cursor, ReadWindow window, CancellationToken cancellationToken) => stream switch
    {
        StreamName.Orders => ReadOrdersAsync(cursor, window, cancellationToken),
        StreamName.Reviews => ReadReviewsAsync(cursor, window, cancellationToken),
        StreamName.Chats => ReadChatsAsync(cursor, window, cancellationToken),
        _ => throw new NotSupportedException($"Shopee has no stream {stream}."),
    };

    // ---- orders ------------------------------------------------------------------------------------------

    private async IAsyncEnumerable<RecordPage> ReadOrdersAsync(StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var until = window.Until.ToUnixTimeSeconds();
        var at = cursor?.Read<OrdersCursor>() ?? new OrdersCursor(window.Since.ToUnixTimeSeconds() - 1);
        while (at.Through < until)
        {
            var from = at.Through + 1;
            var to = Math.Min(at.WindowTo ?? long.MaxValue, Math.Min(until, from + MaxWindowSeconds - 1));
            var page = at.Page;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var list = await CallAsync(IShopeeApi.OrderListPath,
                    () => _api.GetOrderListAsync("update_time", from, to, OrderPageSize, page, null, ct)).ConfigureAwait(false);
                var sns = (list.OrderList ?? []).Select(o => o.OrderSn).OfType<string>().Where(s => s.Length > 0).Distinct().ToList();
                var records = new List<SourceRecord>(sns.Count);
                var problems = new List<string>();
                foreach (var batch in sns.Chunk(DetailBatch))
                {
                    var detail = await CallAsync(IShopeeApi.OrderDetailPath,
                        () => _api.GetOrderDetailAsync(string.Join(',', batch), OrderDetailFields, ct)).ConfigureAwait(false);
                    foreach (var json in detail.OrderList ?? [])
                    {
                        if (MapItem(json, IShopeeApi.OrderDetailPath, problems, j => ShopeeMap.Order(j, Deserialize<OrderDetailDto>(j))) is OrderRecord order
                            && order.UpdatedAt.ToUnixTimeSeconds() <= to)   // changed again since it was listed: a later window has it
                            records.Add(order);
                    }
                }
                var more = list.More && !string.IsNullOrEmpty(list.NextCursor);
                at = more ? new OrdersCursor(at.Through, to, list.NextCursor) : new OrdersCursor(to);
                yield return new RecordPage(records, StreamCursor.From(at)) { Problems = problems };
                if (!more) break;
                page = list.NextCursor;
            }
        }
    }

    // ---- reviews -----------------------------------------------------------------------------------------

    private async IAsyncEnumerable<RecordPage> ReadReviewsAsync(StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var at = cursor?.Read<ReviewsCursor>() ?? new ReviewsCursor(window.Since.ToUnixTimeSeconds() - 1);
        var until = at.Until ?? window.Until.ToUnixTimeSeconds();
        if (at.Through >= until) yield break;
        var page = at.Page ?? "";
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var list = await CallAsync(IShopeeApi.CommentPath, () => _api.GetCommentAsync(page, CommentPageSize, ct)).ConfigureAwait(false);
            var records = new List<SourceRecord>();
            var problems = new List<string>();
            foreach (var json in list.ItemCommentList ?? [])
            {
                if (MapItem(json, IShopeeApi.CommentPath, problems, j => ShopeeMap.Review(j, Deserialize<CommentDto>(j))) is ReviewRecord review)
                {
                    var changed = review.UpdatedAt.ToUnixTimeSeconds();
                    if (changed > at.Through && changed <= until)
                        records.Add(review);
                }
            }
            var more = list.More && !string.IsNullOrEmpty(list.NextCursor);
            var next = more ? new ReviewsCursor(at.Through, until, list.NextCursor) : new ReviewsCursor(until);
            yield return new RecordPage(records, StreamCursor.From(next)) { Problems = problems };
            if (!more) yield break;
            page = list.NextCursor!;
        }
    }

    // ---- chats -------------------------------------------------------------------------------------------

    private async IAsyncEnumerable<RecordPage> ReadChatsAsync(StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var at = cursor?.Read<ChatsCursor>() ?? new ChatsCursor(window.Since.ToUnixTimeSeconds() - 1);
        var until = at.Until ?? window.Until.ToUnixTimeSeconds();
        if (at.Through >= until) yield break;
        var done = new List<string>(at.Done ?? []);
        var seen = new HashSet<string>(done, StringComparer.Ordinal);
        long? next = null;
        var finished = false;
        while (!finished)
        {
            ct.ThrowIfCancellationRequested();
            var list = await CallAsync(IShopeeApi.ConversationListPath,
                () => _api.GetConversationListAsync("older", "all", ConversationPageSize, next, ct)).ConfigureAwait(false);
            foreach (var conversation in list.Conversations ?? [])
            {
                // Latest message first: once a conversation has nothing after the checkpoint, neither have the rest.
                if (conversation.LastMessageTimestamp / 1_000_000_000 <= at.Through) { finished = true; break; }
                if (conversation.ConversationId is not { Length: > 0 } id || !seen.Add(id)) continue;
                var (records, problems) = await ReadConversationAsync(conversation, at.Through, until, ct).ConfigureAwait(false);
                done.Add(id);
                yield return new RecordPage(records, StreamCursor.From(new ChatsCursor(at.Through, until, [.. done]))) { Problems = problems };
            }
            var paging = list.PageResult;
            if (finished || paging is not { More: true }) break;
            if (!long.TryParse(paging.NextCursor?.NextMessageTimeNano, out var nano))
                throw new MalformedPageException(ShopeeMap.Marketplace, Endpoint(IShopeeApi.ConversationListPath),
                    JsonSerializer.Serialize(paging, Json), new FormatException("page_result.more is true but next_cursor.next_message_time_nano is not a number"));
            next = nano;
        }
        yield return new RecordPage([], StreamCursor.From(new ChatsCursor(until)));
    }

    private async Task<(List<SourceRecord>, List<string>)> ReadConversationAsync(ConversationDto conversation, long through, long until, CancellationToken ct)
    {
        var records = new List<SourceRecord>();
        var problems = new List<string>();
        string? offset = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            ct.ThrowIfCancellationRequested();
            var list = await CallAsync(IShopeeApi.MessagePath,
                () => _api.GetMessageAsync(conversation.ConversationId!, offset, MessagePageSize, ct)).ConfigureAwait(false);
            var times = new List<long>();
            foreach (var json in list.Messages ?? [])
            {
                if (MapItem(json, IShopeeApi.MessagePath, problems, j => ShopeeMap.Message(j, Deserialize<MessageDto>(j), conversation, _settings.ShopId)) is ChatMessage message)
                {
                    var sent = message.SentAt.ToUnixTimeSeconds();
                    times.Add(sent);
                    if (sent > through && sent <= until)
                        records.Add(message);
                }
            }
            var nextOffset = list.PageResult?.NextOffset;
            if (times.Count == 0 || string.IsNullOrEmpty(nextOffset) || nextOffset == offset) break;
            // Newest first: a page that reaches back to the checkpoint ends what is new in this conversation.
            var newestFirst = times.Zip(times.Skip(1)).All(p => p.First >= p.Second);
            if (newestFirst && times[^1] <= through) break;
            offset = nextOffset;
        }
        return (records, problems);
    }

    // ---- plumbing ----------------------------------------------------------------------------------------

    private async Task<(string Access, string Refresh)> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        IApiResponse<AccessTokenDto> response;
        try
        {
            response = await _api.RefreshAccessTokenAsync(new RefreshRequestDto(refreshToken, _settings.PartnerId, _settings.ShopId), ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new MalformedPageException(ShopeeMap.Marketplace, Endpoint(IShopeeApi.RefreshPath), null, e);
        }
        using (response)
        {
            string? error = null;
            if (ResponseError(response) is { } apiError)
            {
                var parsed = ErrorOf(apiError.Content);
                if (parsed?.Error == "error_sign")
                    throw ShopeeAuthHandler.PartnerKeyRejected("error_sign on the token refresh");
                if (apiError.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
                    throw new MalformedPageException(ShopeeMap.Marketplace, Endpoint(IShopeeApi.RefreshPath), apiError.Content, apiError.InnerException ?? apiError);
                error = parsed?.Error is { Length: > 0 } e ? e : $"HTTP {(int)apiError.StatusCode}";
            }
            else if (response.Content is { } body && !string.IsNullOrEmpty(body.Error))
            {
                if (body.Error == "error_sign")
                    throw ShopeeAuthHandler.PartnerKeyRejected("error_sign on the token refresh");
                error = body.Error;
            }
            var tokens = response.Content;
            if (error is null && (string.IsNullOrEmpty(tokens?.AccessToken) || string.IsNullOrEmpty(tokens.RefreshToken)))
                error = "no tokens in the answer";
            if (error is not null)
                throw new ConnectorAuthException(ShopeeTokens.RefreshTokenName,
                    $"Shopee rejected the access token and refused to refresh it ({error}): the refresh token has expired (after 30 days) or was already used. Re-authorize the shop in the Shopee Open Platform console and update 'accessToken' and 'refreshToken'.");
            _context.Logger.LogInformation("Shopee store {Store}: access token refreshed, valid for {Seconds} s", _context.StoreId, tokens!.ExpireIn);
            return (tokens.AccessToken!, tokens.RefreshToken!);
        }
    }

    /// <summary>Calls an endpoint and returns its <c>response</c>, or throws: unreadable → <see cref="MalformedPageException"/>, Shopee error → <see cref="ShopeeApiException"/>.</summary>
    private async Task<T> CallAsync<T>(string apiPath, Func<Task<IApiResponse<ShopeeEnvelope<T>>>> call) where T : class
    {
        IApiResponse<ShopeeEnvelope<T>> response;
        try
        {
            response = await call().ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new MalformedPageException(ShopeeMap.Marketplace, Endpoint(apiPath), null, e);
        }
        using (response)
        {
            if (ResponseError(response) is { } error)
            {
                if (error.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
                    throw new MalformedPageException(ShopeeMap.Marketplace, Endpoint(apiPath), error.Content, error.InnerException ?? error);
                throw new ShopeeApiException($"Shopee answered {Endpoint(apiPath)} with {Describe(error.StatusCode, error.Content)}.");
            }
            var envelope = response.Content ?? throw new MalformedPageException(ShopeeMap.Marketplace, Endpoint(apiPath), null);
            if (!string.IsNullOrEmpty(envelope.Error))
                throw new ShopeeApiException($"Shopee answered {Endpoint(apiPath)} with {envelope.Error}: {envelope.Message} (request {envelope.RequestId}).");
            return envelope.Response ?? throw new MalformedPageException(ShopeeMap.Marketplace, Endpoint(apiPath), JsonSerializer.Serialize(envelope, Json),
                new FormatException("the answer has no 'response'"));
        }
    }

    /// <summary>
    /// The answer's error, if any. Refit wraps what the handlers threw before an answer came (credential errors,
    /// cancellation, network failures) in an <see cref="ApiRequestException"/>: those are rethrown as they are.
    /// </summary>
    private static ApiException? ResponseError(IApiResponse response)
    {
        switch (response.Error)
        {
            case null:
                return null;
            case ApiException answered:
                return answered;
            case { InnerException: { } inner }:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
                return null;
            case var other:
                throw other;
        }
    }

    private static SourceRecord? MapItem(JsonElement json, string apiPath, List<string> problems, Func<JsonElement, SourceRecord> map)
    {
        try
        {
            return map(json);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            var id = json.ValueKind == JsonValueKind.Object
                ? new[] { "order_sn", "comment_id", "message_id" }.Select(n => json.TryGetProperty(n, out var v) ? v.ToString() : null).FirstOrDefault(v => v is not null)
                : null;
            problems.Add($"Shopee {apiPath}: item {id ?? "(no id)"} could not be read ({e.Message}); it is skipped: {MalformedPageException.Snippet(json.GetRawText())}");
            return null;
        }
    }

    private static T Deserialize<T>(JsonElement json) => json.Deserialize<T>(Json) ?? throw new FormatException("the item is null");

    private string Endpoint(string apiPath) => _settings.PathPrefix + apiPath;

    private static ShopeeErrorDto? ErrorOf(string? content)
    {
        if (string.IsNullOrEmpty(content)) return null;
        try { return JsonSerializer.Deserialize<ShopeeErrorDto>(content, Json); }
        catch (JsonException) { return null; }
    }

    private static string Describe(HttpStatusCode status, string? content) => ErrorOf(content) is { Error.Length: > 0 } e
        ? $"HTTP {(int)status} {e.Error}: {e.Message ?? e.Msg}"
        : $"HTTP {(int)status}: {MalformedPageException.Snippet(content)}";
}
