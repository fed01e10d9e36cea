using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Ebay.Tests;

/// <summary>Which eBay API the fake serves items for.</summary>
public enum EbayFakeMode
{
    /// <summary>Sell Fulfillment v1 getOrders: items are orders.</summary>
    Orders,
    /// <summary>Commerce Feedback v1 getFeedback: items are feedback entries received.</summary>
    Reviews,
    /// <summary>Commerce Message v1 getConversations/getConversation: items are messages.</summary>
    Chats,
}

/// <summary>
/// eBay as developer.ebay.com documents it, for one API at a time (<see cref="Mode"/>):
/// <list type="bullet">
/// <item>OAuth refresh-token grant, POST /identity/v1/oauth2/token (Basic client credentials, form body; answers
/// access_token / expires_in / token_type "User Access Token"; errors invalid_client (401) and invalid_grant (400)).</item>
/// <item>Bearer check on every API call: 401 with eBay's error 1001 "Invalid access token" otherwise.</item>
/// <item>GET /sell/fulfillment/v1/order: filter=lastmodifieddate:[from..to] (inclusive, 90 days of history at most),
/// limit (1–200, default 50), offset; OrderSearchPagedCollection {href,total,limit,offset,next,orders}; sorted by
/// creationDate, newest first (not by lastModifiedDate).</item>
/// <item>GET /commerce/feedback/v1/feedback?user_id&amp;feedback_type=FEEDBACK_RECEIVED&amp;limit&amp;offset:
/// {feedbackEntries:[FeedbackDetail], pagination:{count,limit,offset,total}}, newest first.</item>
/// <item>GET /commerce/message/v1/conversation?conversation_type=FROM_MEMBERS&amp;start_time&amp;limit(≤50)&amp;offset:
/// {conversations:[ConversationDetail], total, limit, offset, next}, conversations whose latest message is at or
/// after start_time; GET /commerce/message/v1/conversation/{id}?conversation_type&amp;limit&amp;offset:
/// {conversationId, …, messages:[MessageDetail], total, limit, offset}.</item>
/// </list>
/// Self-contained (kit and BCL only) so the host's end-to-end tests can link it. Paths may carry a prefix
/// (<see cref="PathPrefix"/>) to check that a connector's baseUrl path is honoured.
/// </summary>
public sealed class EbayFake : MarketplaceFake
{
    /// <summary>The application's client id the fake accepts.</summary>
    public const string ClientId = "SellerCo-CrmApp-PRD-1a2b3c4d5-6e7f8a9b";
    /// <summary>The application's client secret the fake accepts.</summary>
    public const string ClientSecret = "PRD-1a2b3c4d5e6f-7a8b-9c0d-1e2f-3a4b";
    /// <summary>The seller's refresh token the fake accepts.</summary>
    public const string RefreshToken = "v^1.1#i^1#r^1#p^3#I^3#f^0#t^Ul4xMF8fake-refresh-token";
    /// <summary>The seller's eBay username.</summary>
    public const string SellerUsername = "crm_demo_seller";

    private readonly object _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly List<(SampleItem Item, string Email, string Name)> _extraOrders = [];
    private int _issued;

    /// <summary>The API served.</summary>
    public EbayFakeMode Mode { get; set; } = EbayFakeMode.Orders;

    /// <summary>A path prefix every request must carry (e.g. "/ebay"), or "".</summary>
    public string PathPrefix { get; set; } = "";

    /// <summary>Lifetime of issued access tokens (eBay: 7200 s).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How many access tokens were issued.</summary>
    public int TokensIssued => Volatile.Read(ref _issued);

    /// <summary>Requests that reached the fake without the prefix (should stay 0).</summary>
    public List<string> UnprefixedRequests { get; } = [];

    /// <summary>Forgets every issued token (as if eBay revoked them): the next API call answers 401.</summary>
    public void RevokeAccessTokens()
    {
        lock (_lock)
            _tokens.Clear();
    }

    /// <summary>Adds an order (besides <see cref="MarketplaceFake.Items"/>) whose buyer has the given email and name: a buyer of its own (username <c>buyer_x&lt;number&gt;</c>, no phone), not one of the generated buyers.</summary>
    public void AddOrder(SampleItem item, string buyerEmail, string buyerName)
    {
        lock (_lock)
            _extraOrders.Add((item, buyerEmail, buyerName));
    }

    /// <inheritdoc />
    public override string ExternalIdOf(SampleItem item) => Mode switch
    {
        EbayFakeMode.Orders => OrderId(item.Number),
        EbayFakeMode.Reviews => FeedbackId(item.Number),
        _ => MessageId(item.Number),
    };

    /// <summary>eBay's order id format, e.g. 27-10042-37398.</summary>
    public static string OrderId(int n) => $"{10 + n % 90:D2}-{10000 + n % 90000:D5}-{(n * 7919) % 100000:D5}";
    /// <summary>A feedback id.</summary>
    public static string FeedbackId(int n) => (2923223460000L + n).ToString(CultureInfo.InvariantCulture);
    /// <summary>A message id.</summary>
    public static string MessageId(int n) => (5000000000L + n).ToString(CultureInfo.InvariantCulture);
    /// <summary>The conversation a message belongs to (30 conversations).</summary>
    public static string ConversationOf(int n) => (1000000 + n % 30).ToString(CultureInfo.InvariantCulture);
    /// <summary>The buyer of conversation / order / feedback number <paramref name="n"/>.</summary>
    public static string BuyerOf(int n) => $"buyer_{n % 30:D2}";

    /// <inheritdoc />
    public override bool IsPageRequest(FakeRequest request)
    {
        var path = Strip(request.Path);
        return request.Method == "GET" && (path == "/sell/fulfillment/v1/order" || path == "/commerce/feedback/v1/feedback"
            || path.StartsWith("/commerce/message/v1/conversation", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public override FakeResponse Handle(FakeRequest request)
    {
        if (PathPrefix.Length > 0 && !request.Path.StartsWith(PathPrefix + "/", StringComparison.Ordinal))
        {
            lock (_lock)
                UnprefixedRequests.Add(request.Path);
            return new FakeResponse(404, "{\"errors\":[{\"errorId\":2002,\"domain\":\"ACCESS\",\"category\":\"REQUEST\",\"message\":\"Resource not found\"}]}");
        }
        var path = Strip(request.Path);
        if (path == "/identity/v1/oauth2/token")
            return request.Method == "POST" ? Token(request) : new FakeResponse(405, "");

        if (!Authorized(request))
            return FakeResponse.Json(new
            {
                errors = new[] { new { errorId = 1001, domain = "OAuth", category = "REQUEST", message = "Invalid access token", longMessage = "Invalid access token. Check the value of the Authorization HTTP request header." } },
            }, 401);

        return path switch
        {
            "/sell/fulfillment/v1/order" when Mode == EbayFakeMode.Orders => Orders(request),
            "/commerce/feedback/v1/feedback" when Mode == EbayFakeMode.Reviews => Feedback(request),
            "/commerce/message/v1/conversation" when Mode == EbayFakeMode.Chats => Conversations(request),
            _ when Mode == EbayFakeMode.Chats && path.StartsWith("/commerce/message/v1/conversation/", StringComparison.Ordinal) => Conversation(request, path[(path.LastIndexOf('/') + 1)..]),
            "/sell/fulfillment/v1/order" or "/commerce/feedback/v1/feedback" or "/commerce/message/v1/conversation" => EmptyFor(path),
            _ => Error(404, 2002, "ACCESS", "Resource not found"),
        };
    }

    // ---- OAuth ---------------------------------------------------------------------------------------------------

    private FakeResponse Token(FakeRequest request)
    {
        var basic = request.Basic();
        if (basic is not { } b || b.User != ClientId || b.Password != ClientSecret)
            return FakeResponse.Json(new { error = "invalid_client", error_description = "client authentication failed" }, 401);
        if (request.Form("grant_type") != "refresh_token")
            return FakeResponse.Json(new { error = "unsupported_grant_type", error_description = "grant type in request is not supported by the authorization server" }, 400);
        if (RejectCredentials || request.Form("refresh_token") != RefreshToken)
            return FakeResponse.Json(new { error = "invalid_grant", error_description = "the provided authorization refresh token is invalid or was issued to another client" }, 400);
        var token = $"v^1.1#i^1#f^0#p^3#I^3#r^0#t^H4sI{Guid.NewGuid():N}";
        lock (_lock)
            _tokens[token] = Clock.GetUtcNow() + TokenLifetime;
        Interlocked.Increment(ref _issued);
        return FakeResponse.Json(new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            ["token_type"] = "User Access Token",
        });
    }

    private bool Authorized(FakeRequest request)
    {
        if (RejectCredentials)
            return false;
        var bearer = request.Bearer();
        lock (_lock)
            return bearer is not null && _tokens.TryGetValue(bearer, out var expires) && Clock.GetUtcNow() < expires;
    }

    // ---- orders ---------------------------------------------------------------------------------------------------

    private static readonly Regex LastModified = new(@"lastmodifieddate:\[(?<from>[^\]]*?)\.\.(?<to>[^\]]*)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private FakeResponse Orders(FakeRequest request)
    {
        var now = Clock.GetUtcNow();
        var (limit, offset, bad) = Paging(request, 50, 200);
        if (bad is not null)
            return bad;
        var from = now.AddDays(-90);
        var to = now;
        if (request.Q("filter") is { Length: > 0 } filter)
        {
            var m = LastModified.Match(filter);
            if (!m.Success)
                return Error(400, 30800, "API_FULFILLMENT", "Invalid filter");
            if (!TryDate(m.Groups["from"].Value, out from) || (m.Groups["to"].Value.Length > 0 && !TryDate(m.Groups["to"].Value, out to)))
                return Error(400, 30830, "API_FULFILLMENT", "Invalid date format in filter");
            if (m.Groups["to"].Value.Length == 0)
                to = now;
            if (from < now.AddDays(-90))
                return Error(400, 30840, "API_FULFILLMENT", "Invalid filter: the lastmodifieddate range may not start more than 90 days ago");
            if (to < from)
                return Error(400, 30850, "API_FULFILLMENT", "Invalid filter: the end of the date range is before its start");
        }
        List<(SampleItem Item, string? Email, string? Name)> all;
        lock (_lock)
            all = [.. Items.Select(i => (i, (string?)null, (string?)null)), .. _extraOrders.Select(e => (e.Item, (string?)e.Email, (string?)e.Name))];
        var matching = all.Where(o => o.Item.UpdatedAt >= from && o.Item.UpdatedAt <= to)
            .OrderByDescending(o => o.Item.CreatedAt).ThenBy(o => o.Item.Number).ToList();
        var page = matching.Skip(offset).Take(limit).Select(o => Order(o.Item, o.Email, o.Name)).ToList();
        var href = Href(request);
        var result = new Dictionary<string, object?>
        {
            ["href"] = href,
            ["total"] = matching.Count,
            ["limit"] = limit,
            ["offset"] = offset,
            ["orders"] = page,
        };
        if (offset + limit < matching.Count)
            result["next"] = NextHref(request, offset + limit);
        if (offset > 0)
            result["prev"] = NextHref(request, Math.Max(0, offset - limit));
        return FakeResponse.Json(result);
    }

    /// <summary>
    /// One order as getOrders documents it (developer.ebay.com/api-docs/sell/fulfillment/resources/order/methods/getOrders,
    /// sample "Retrieve orders": orderId, legacyOrderId, creationDate, lastModifiedDate, orderFulfillmentStatus,
    /// orderPaymentStatus, sellerId, buyer{username, taxAddress, buyerRegistrationAddress}, pricingSummary,
    /// cancelStatus, paymentSummary, fulfillmentStartInstructions, lineItems). Money is a string.
    /// </summary>
    public static Dictionary<string, object?> Order(SampleItem item, string? email = null, string? name = null)
    {
        var n = item.Number;
        var (fulfillment, payment, cancel) = (n % 6) switch
        {
            0 => ("NOT_STARTED", "PAID", "NONE_REQUESTED"),
            1 => ("FULFILLED", "PAID", "NONE_REQUESTED"),
            2 => ("IN_PROGRESS", "PAID", "NONE_REQUESTED"),
            3 => ("NOT_STARTED", "PENDING", "NONE_REQUESTED"),
            4 => ("NOT_STARTED", "PAID", "CANCELED"),
            _ => ("FULFILLED", "FULLY_REFUNDED", "NONE_REQUESTED"),
        };
        var currency = n % 7 == 0 ? "GBP" : "USD";
        var buyer = name is null ? BuyerOf(n) : $"buyer_x{n}"; // an added order's buyer is a person of their own
        var quantity = 1 + n % 3;
        var unit = 10m + n % 50 + 0.99m;
        var lines = new List<Dictionary<string, object?>>
        {
            Line(n, 1, quantity, unit, currency),
        };
        if (n % 4 == 0)
            lines.Add(Line(n, 2, 1, 4.5m, currency));
        var subtotal = quantity * unit + (n % 4 == 0 ? 4.5m : 0m);
        var delivery = n % 5 == 0 ? 0m : 3.99m;
        var contact = new Dictionary<string, object?>
        {
            ["city"] = City(n),
            ["stateOrProvince"] = "CA",
            ["postalCode"] = $"9{n % 10000:D4}",
            ["countryCode"] = "US",
        };
        var fullName = name ?? $"Buyer {n % 30:D2} Example";
        return new Dictionary<string, object?>
        {
            ["orderId"] = OrderId(n),
            ["legacyOrderId"] = $"{110000000000L + n}-{2000000000000L + n}",
            ["creationDate"] = Stamp(item.CreatedAt),
            ["lastModifiedDate"] = Stamp(item.UpdatedAt),
            ["orderFulfillmentStatus"] = fulfillment,
            ["orderPaymentStatus"] = payment,
            ["sellerId"] = SellerUsername,
            ["buyer"] = new Dictionary<string, object?>
            {
                ["username"] = buyer,
                ["taxAddress"] = new Dictionary<string, object?> { ["city"] = City(n), ["stateOrProvince"] = "CA", ["postalCode"] = $"9{n % 10000:D4}", ["countryCode"] = "US" },
                ["buyerRegistrationAddress"] = new Dictionary<string, object?>
                {
                    ["fullName"] = fullName,
                    ["contactAddress"] = contact,
                    ["primaryPhone"] = name is null ? new Dictionary<string, object?> { ["phoneNumber"] = $"408555{n % 10000:D4}" } : null,
                    // eBay relays buyer email through a masked address.
                    ["email"] = email ?? $"{Guid.Parse($"00000000-0000-0000-0000-{n:D12}"):N}@members.ebay.com",
                },
            },
            ["pricingSummary"] = new Dictionary<string, object?>
            {
                ["priceSubtotal"] = Amount(subtotal, currency),
                ["deliveryCost"] = Amount(delivery, currency),
                ["total"] = Amount(subtotal + delivery, currency),
            },
            ["cancelStatus"] = new Dictionary<string, object?> { ["cancelState"] = cancel, ["cancelRequests"] = Array.Empty<object>() },
            ["fulfillmentStartInstructions"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["fulfillmentInstructionsType"] = "SHIP_TO",
                    ["minEstimatedDeliveryDate"] = Stamp(item.CreatedAt.AddDays(3)),
                    ["maxEstimatedDeliveryDate"] = Stamp(item.CreatedAt.AddDays(7)),
                    ["ebaySupportedFulfillment"] = false,
                    ["shippingStep"] = new Dictionary<string, object?>
                    {
                        ["shipTo"] = new Dictionary<string, object?>
                        {
                            ["fullName"] = fullName,
                            ["contactAddress"] = new Dictionary<string, object?> { ["addressLine1"] = $"{n} Main St", ["city"] = City(n), ["stateOrProvince"] = "CA", ["postalCode"] = $"9{n % 10000:D4}", ["countryCode"] = "US" },
                            ["primaryPhone"] = name is null ? new Dictionary<string, object?> { ["phoneNumber"] = $"408555{n % 10000:D4}" } : null,
                            ["email"] = email ?? $"{Guid.Parse($"00000000-0000-0000-0000-{n:D12}"):N}@members.ebay.com",
                        },
                        ["shippingCarrierCode"] = "USPS",
                        ["shippingServiceCode"] = "USPSPriority",
                    },
                },
            },
            ["lineItems"] = lines,
        };
    }

    private static Dictionary<string, object?> Line(int n, int k, int quantity, decimal unit, string currency) => new()
    {
        ["lineItemId"] = $"{10000000000000L + n * 10 + k}",
        ["legacyItemId"] = $"{110000000000L + n}",
        ["sku"] = $"SKU-{n % 40:D3}-{k}",
        ["title"] = $"Vintage item {n % 40} part {k}",
        ["lineItemCost"] = Amount(unit * quantity, currency),
        ["quantity"] = quantity,
        ["soldFormat"] = "FIXED_PRICE",
        ["listingMarketplaceId"] = "EBAY_US",
        ["lineItemFulfillmentStatus"] = "NOT_STARTED",
        ["total"] = Amount(unit * quantity, currency),
    };

    private static string City(int n) => (n % 3) switch { 0 => "San Jose", 1 => "Oakland", _ => "Fresno" };

    private static Dictionary<string, object?> Amount(decimal value, string currency) => new()
    {
        ["value"] = value.ToString("0.00", CultureInfo.InvariantCulture),
        ["currency"] = currency,
    };

    // ---- feedback -------------------------------------------------------------------------------------------------

    private FakeResponse Feedback(FakeRequest request)
    {
        if (request.Q("user_id") is not { Length: > 0 } user)
            return Error(400, 285001, "API_FEEDBACK", "The 'user_id' query parameter is required.");
        if (request.Q("feedback_type") is not ("FEEDBACK_RECEIVED" or "FEEDBACK_SENT"))
            return Error(400, 285002, "API_FEEDBACK", "The 'feedback_type' query parameter is missing or invalid.");
        var (limit, offset, bad) = Paging(request, 25, 200);
        if (bad is not null)
            return bad;
        var entries = user == SellerUsername && request.Q("feedback_type") == "FEEDBACK_RECEIVED"
            ? Items.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number).ToList()
            : [];
        var page = entries.Skip(offset).Take(limit).Select(FeedbackEntry).ToList();
        return FakeResponse.Json(new Dictionary<string, object?>
        {
            ["feedbackEntries"] = page,
            ["pagination"] = new Dictionary<string, object?> { ["count"] = page.Count, ["limit"] = limit, ["offset"] = offset, ["total"] = entries.Count },
        });
    }

    /// <summary>
    /// A FeedbackDetail (developer.ebay.com/api-docs/commerce/feedback/types/fdb:FeedbackDetail): feedbackId,
    /// commentType, feedbackComment{commentText}, feedbackEnteredDate, providerUserDetail{userId, role},
    /// orderLineItemSummary{orderLineItemId, listingId, listingTitle}. The reply container (replyComment) is
    /// our reading of the docs' "response chain" and is not confirmed by a published sample.
    /// </summary>
    public static Dictionary<string, object?> FeedbackEntry(SampleItem item)
    {
        var n = item.Number;
        var type = (n % 10) switch { 0 => "NEGATIVE", 1 => "NEUTRAL", _ => "POSITIVE" };
        var entry = new Dictionary<string, object?>
        {
            ["feedbackId"] = FeedbackId(n),
            ["commentType"] = type,
            ["feedbackComment"] = new Dictionary<string, object?> { ["commentText"] = $"Feedback {n}: {(type == "POSITIVE" ? "great seller, fast shipping" : "item not as described")}", ["state"] = "ENTERED" },
            ["feedbackEnteredDate"] = Stamp(item.UpdatedAt),
            ["feedbackState"] = "ENTERED",
            ["providerUserDetail"] = new Dictionary<string, object?> { ["userId"] = BuyerOf(n), ["role"] = "BUYER", ["feedbackScore"] = 10 + n % 500 },
            ["orderLineItemSummary"] = new Dictionary<string, object?>
            {
                ["orderLineItemId"] = $"{110000000000L + n}-{2000000000000L + n}",
                ["listingId"] = $"{110000000000L + n}",
                ["listingTitle"] = $"Vintage item {n % 40} part 1",
            },
        };
        if (n % 4 == 0)
            entry["replyComment"] = new Dictionary<string, object?> { ["commentText"] = $"Thank you, buyer {n % 30}!" };
        return entry;
    }

    // ---- messages -------------------------------------------------------------------------------------------------

    private FakeResponse Conversations(FakeRequest request)
    {
        if (request.Q("conversation_type") is not ("FROM_MEMBERS" or "FROM_EBAY"))
            return Error(400, 355001, "API_MESSAGE", "The 'conversation_type' query parameter is missing or invalid.");
        var (limit, offset, bad) = Paging(request, 25, 50);
        if (bad is not null)
            return bad;
        DateTimeOffset? start = null;
        if (request.Q("start_time") is { Length: > 0 } s)
        {
            if (!TryDate(s, out var st))
                return Error(400, 355002, "API_MESSAGE", "The 'start_time' query parameter is invalid.");
            start = st;
        }
        var conversations = request.Q("conversation_type") == "FROM_EBAY" ? [] : Items.GroupBy(i => ConversationOf(i.Number))
            .Select(g => (Id: g.Key, Latest: g.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number).First(), First: g.OrderBy(i => i.UpdatedAt).First()))
            .Where(c => start is null || c.Latest.UpdatedAt >= start)
            .OrderByDescending(c => c.Latest.UpdatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var page = conversations.Skip(offset).Take(limit).Select(c => new Dictionary<string, object?>
        {
            ["conversationId"] = c.Id,
            ["conversationStatus"] = "ACTIVE",
            ["conversationTitle"] = $"Question about item {c.Latest.Number % 40}",
            ["conversationType"] = "FROM_MEMBERS",
            ["createdDate"] = Stamp(c.First.UpdatedAt),
            ["latestMessage"] = Message(c.Latest),
            ["referenceId"] = $"{110000000000L + int.Parse(c.Id, CultureInfo.InvariantCulture) % 30}",
            ["referenceType"] = "LISTING",
            ["unreadCount"] = 0,
        }).ToList();
        var result = new Dictionary<string, object?>
        {
            ["conversations"] = page,
            ["href"] = Href(request),
            ["limit"] = limit,
            ["offset"] = offset,
            ["total"] = conversations.Count,
        };
        if (offset + limit < conversations.Count)
            result["next"] = NextHref(request, offset + limit);
        return FakeResponse.Json(result);
    }

    private FakeResponse Conversation(FakeRequest request, string conversationId)
    {
        if (request.Q("conversation_type") is not ("FROM_MEMBERS" or "FROM_EBAY"))
            return Error(400, 355001, "API_MESSAGE", "The 'conversation_type' query parameter is missing or invalid.");
        var (limit, offset, bad) = Paging(request, 25, 50);
        if (bad is not null)
            return bad;
        var messages = Items.Where(i => ConversationOf(i.Number) == conversationId).OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number).ToList();
        if (messages.Count == 0)
            return Error(404, 355010, "API_MESSAGE", "The conversation was not found.");
        var result = new Dictionary<string, object?>
        {
            ["conversationId"] = conversationId,
            ["conversationStatus"] = "ACTIVE",
            ["conversationTitle"] = $"Question about item {messages[0].Number % 40}",
            ["conversationType"] = "FROM_MEMBERS",
            ["createdDate"] = Stamp(messages[^1].UpdatedAt),
            ["referenceId"] = $"{110000000000L + int.Parse(conversationId, CultureInfo.InvariantCulture) % 30}",
            ["referenceType"] = "LISTING",
            ["messages"] = messages.Skip(offset).Take(limit).Select(Message).ToList(),
            ["href"] = Href(request),
            ["limit"] = limit,
            ["offset"] = offset,
            ["total"] = messages.Count,
        };
        if (offset + limit < messages.Count)
            result["next"] = NextHref(request, offset + limit);
        return FakeResponse.Json(result);
    }

    /// <summary>
    /// A MessageDetail (developer.ebay.com/api-docs/commerce/message/types/m2m:MessageDetail): createdDate,
    /// messageBody, messageId, messageMedia, readStatus, recipientUsername, senderUsername, subject. Every third
    /// message is the seller's answer; the others come from the conversation's buyer.
    /// </summary>
    public static Dictionary<string, object?> Message(SampleItem item)
    {
        var n = item.Number;
        var buyer = BuyerOf(n); // the conversation's buyer: conversations are n % 30, like buyers
        var fromSeller = n % 3 == 0;
        return new Dictionary<string, object?>
        {
            ["createdDate"] = Stamp(item.UpdatedAt),
            ["messageBody"] = fromSeller ? $"Hi, it ships tomorrow (message {n})." : $"Hello, when will my item ship? (message {n})",
            ["messageId"] = MessageId(n),
            ["messageMedia"] = Array.Empty<object>(),
            ["readStatus"] = true,
            ["recipientUsername"] = fromSeller ? buyer : SellerUsername,
            ["senderUsername"] = fromSeller ? SellerUsername : buyer,
            ["subject"] = $"Question about item {n % 40}",
        };
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private FakeResponse EmptyFor(string path) => path switch
    {
        "/sell/fulfillment/v1/order" => FakeResponse.Json(new { href = path, total = 0, limit = 50, offset = 0, orders = Array.Empty<object>() }),
        "/commerce/feedback/v1/feedback" => FakeResponse.Json(new { feedbackEntries = Array.Empty<object>(), pagination = new { count = 0, limit = 25, offset = 0, total = 0 } }),
        _ => FakeResponse.Json(new { conversations = Array.Empty<object>(), limit = 25, offset = 0, total = 0 }),
    };

    private static (int Limit, int Offset, FakeResponse? Bad) Paging(FakeRequest request, int defaultLimit, int maxLimit)
    {
        var limit = defaultLimit;
        var offset = 0;
        if (request.Q("limit") is { } l && (!int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
            return (0, 0, Error(400, 30700, "API", $"Invalid limit: it must be between 1 and {maxLimit}"));
        if (request.Q("offset") is { } o && (!int.TryParse(o, NumberStyles.Integer, CultureInfo.InvariantCulture, out offset) || offset < 0))
            return (0, 0, Error(400, 30710, "API", "Invalid offset"));
        return (limit, offset, null);
    }

    private static FakeResponse Error(int status, int id, string domain, string message) =>
        FakeResponse.Json(new { errors = new[] { new { errorId = id, domain, category = "REQUEST", message } } }, status);

    private string Strip(string path) => PathPrefix.Length > 0 && path.StartsWith(PathPrefix + "/", StringComparison.Ordinal) ? path[PathPrefix.Length..] : path;

    private static string Href(FakeRequest request) => $"https://api.ebay.com{request.Path}?{request.RawQuery}";

    private static string NextHref(FakeRequest request, int offset)
    {
        var query = string.Join("&", request.Query.Where(kv => kv.Key != "offset").Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));
        return $"https://api.ebay.com{request.Path}?{query}&offset={offset}";
    }

    private static bool TryDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>eBay's timestamp format: ISO 8601 UTC with milliseconds.</summary>
    public static string Stamp(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
