// A fake Shopee Open Platform v2 for the connector conformance kit. Self-contained: it depends only on the kit
// (Platform.Plugins.Testing, Platform.Abstractions' StreamName) and the BCL, so other test projects can link this file.
//
// Shapes follow Shopee's v2 documentation (https://open.shopee.com/documents/v2/…) as mirrored by public SDKs:
// - common envelope {"error","message","response","request_id"} and the access-token answer
//   {"access_token","refresh_token","expire_in","error","message","request_id"}: congminh1254/shopee-sdk
//   src/schemas/fetch.ts and src/schemas/access-token.ts;
// - get_order_list {"more","next_cursor","order_list":[{"order_sn"}]}: wjp-letgo/letgo x/api/shopee/order/entity/getorderlistresult.go;
// - get_order_detail (order_sn_list limited to [1,50], response_optional_fields): lindejin/eshop-plat-api ShopeeOrderDetailReqDTO.java
//   (copied from the official parameter table) and the v2.order.get_order_detail page;
// - get_comment (cursor, page_size 1..100, item_comment_list, comment_reply): congminh1254/shopee-sdk src/schemas/product.ts;
// - sellerchat get_conversation_list / get_message: the v2.sellerchat pages (conversations, page_result.next_cursor
//   {next_message_time_nano, conversation_id}; messages, page_result.next_offset);
// - errors: {"error":"error_sign","message":"Wrong sign."} and {"error":"invalid_acceess_token","message":"Invalid access_token."}
//   (sic: Shopee's own spelling, as seen by integrators) answered with HTTP 403.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Shopee.Tests;

/// <summary>One extra order a test can put in the shop, with the buyer fields Shopee exposes (no email on Shopee).</summary>
public sealed record ShopeeExtraOrder(
    string OrderSn,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long BuyerUserId,
    string BuyerUsername,
    string RecipientName,
    string RecipientPhone = "+6591234567",
    string City = "Singapore",
    string Region = "SG",
    string Zipcode = "018956",
    string Currency = "SGD",
    decimal Total = 42.50m,
    string OrderStatus = "COMPLETED");

/// <summary>
/// Shopee Open Platform v2 as documented: signed requests (HMAC-SHA256 over partner_id + api_path + timestamp
/// [+ access_token + shop_id]), get_order_list windows of at most 15 days paged by cursor, get_order_detail for at
/// most 50 order_sn, product comments paged by cursor, seller chat conversations and messages, and token refresh that
/// rotates both tokens. <see cref="Stream"/> says what <see cref="MarketplaceFake.Items"/> are.
/// </summary>
public sealed class ShopeeFake : MarketplaceFake
{
    public const long PartnerId = 2_001_887;
    public const string PartnerKey = "shpk4d6e5f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d";
    public const long ShopId = 600_123_456;
    public const string AccessToken = "6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";
    public const string RefreshToken = "1f2e3d4c5b6a79880a1b2c3d4e5f6a7b";
    /// <summary>How many conversations chat messages are spread over.</summary>
    public const int ConversationCount = 30;
    public const long MaxWindowSeconds = 15 * 86_400;

    public const string OrderListPath = "/api/v2/order/get_order_list";
    public const string OrderDetailPath = "/api/v2/order/get_order_detail";
    public const string CommentPath = "/api/v2/product/get_comment";
    public const string ConversationListPath = "/api/v2/sellerchat/get_conversation_list";
    public const string MessagePath = "/api/v2/sellerchat/get_message";
    public const string ShopInfoPath = "/api/v2/shop/get_shop_info";
    public const string RefreshPath = "/api/v2/auth/access_token/get";

    private static readonly (string Region, string Currency, string City, string Zip)[] Places =
        [("SG", "SGD", "Singapore", "018956"), ("MY", "MYR", "Kuala Lumpur", "50450"), ("PH", "PHP", "Manila", "1000"), ("TH", "THB", "Bangkok", "10110")];

    private static readonly string[] Statuses =
        ["UNPAID", "READY_TO_SHIP", "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED", "IN_CANCEL", "CANCELLED", "TO_RETURN"];

    private readonly Lock _gate = new();
    private readonly List<(long From, long To, int PageSize)> _windows = [];
    private readonly List<int> _detailBatches = [];
    private int _refreshes;
    private bool _accessExpired;

    /// <summary>What <see cref="MarketplaceFake.Items"/> are: orders, product comments or chat messages.</summary>
    public StreamName Stream { get; set; } = StreamName.Orders;

    /// <summary>A path prefix every request must carry (a base URL like <c>http://host/shopee-proxy</c>); empty for none.</summary>
    public string PathPrefix { get; set; } = "";

    /// <summary>Orders a test adds beside the items (get_order_list and get_order_detail serve them whatever <see cref="Stream"/> is).</summary>
    public List<ShopeeExtraOrder> ExtraOrders { get; } = [];

    /// <summary>The access token Shopee accepts now (rotated by every refresh).</summary>
    public string CurrentAccessToken { get; private set; } = AccessToken;

    /// <summary>The refresh token Shopee accepts now (rotated by every refresh; the old one stops working).</summary>
    public string CurrentRefreshToken { get; private set; } = RefreshToken;

    /// <summary>Successful token refreshes so far.</summary>
    public int Refreshes { get { lock (_gate) return _refreshes; } }

    /// <summary>The (time_from, time_to, page_size) of every get_order_list call answered.</summary>
    public IReadOnlyList<(long From, long To, int PageSize)> OrderListCalls { get { lock (_gate) return [.. _windows]; } }

    /// <summary>The number of order_sn of every get_order_detail call answered.</summary>
    public IReadOnlyList<int> DetailBatches { get { lock (_gate) return [.. _detailBatches]; } }

    /// <summary>The current access token expires: calls answer invalid_acceess_token until a refresh.</summary>
    public void ExpireAccessToken()
    {
        lock (_gate) _accessExpired = true;
    }

    /// <summary>Shopee's sign: lower-case hex HMAC-SHA256 keyed with the partner key.</summary>
    public static string Sign(string apiPath, long timestamp, string? accessToken = null, long? shopId = null, string partnerKey = PartnerKey, long partnerId = PartnerId)
    {
        var text = string.Concat(partnerId.ToString(CultureInfo.InvariantCulture), apiPath, timestamp.ToString(CultureInfo.InvariantCulture),
            accessToken ?? "", shopId?.ToString(CultureInfo.InvariantCulture) ?? "");
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(partnerKey), Encoding.UTF8.GetBytes(text)));
    }

    // ---- ids, deterministic from the item's number --------------------------------------------------------

    public static string OrderSnOf(int number) => $"260501{number:D6}SP";
    public static long CommentIdOf(int number) => 9_000_000_000 + number;
    public static string MessageIdOf(int number) => (2_000_000_000_000 + number).ToString(CultureInfo.InvariantCulture);
    public static string ConversationIdOf(int conversation) => (5_000_000_000 + conversation).ToString(CultureInfo.InvariantCulture);
    public static long ChatBuyerIdOf(int conversation) => 800_000_000 + conversation;
    public static int ConversationOf(int number) => (number - 1) % ConversationCount;
    /// <summary>Whether message <paramref name="number"/> was written by the buyer (else by the shop).</summary>
    public static bool IsInbound(int number) => number % 3 != 0;

    /// <inheritdoc />
    public override string ExternalIdOf(SampleItem item) => Stream switch
    {
        StreamName.Reviews => CommentIdOf(item.Number).ToString(CultureInfo.InvariantCulture),
        StreamName.Chats => MessageIdOf(item.Number),
        _ => OrderSnOf(item.Number),
    };

    /// <inheritdoc />
    public override bool IsPageRequest(FakeRequest request)
    {
        var path = ApiPath(request.Path) ?? "";
        return path is OrderListPath or CommentPath or ConversationListPath or MessagePath;
    }

    // ---- the API ---------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public override FakeResponse Handle(FakeRequest request)
    {
        var path = ApiPath(request.Path);
        if (path is null || !path.StartsWith("/api/v2/", StringComparison.Ordinal))
            return Error(404, "error_not_found", $"No API at {request.Path}.");
        if (!long.TryParse(request.Q("partner_id"), out var partnerId) || partnerId != PartnerId)
            return Error(400, "error_param", "Invalid partner_id.");
        if (!long.TryParse(request.Q("timestamp"), out var timestamp))
            return Error(400, "error_param", "Missing timestamp.");
        if (Math.Abs(timestamp - Clock.GetUtcNow().ToUnixTimeSeconds()) > 300)
            return Error(403, "error_auth", "Invalid timestamp: the request expired (timestamps are valid for 5 minutes).");

        if (path == RefreshPath)
        {
            if (request.Q("sign") != Sign(path, timestamp))
                return Error(403, "error_sign", "Wrong sign.");
            return request.Method == "POST" ? RefreshTokens(request) : Error(404, "error_not_found", "Use POST.");
        }

        var accessToken = request.Q("access_token");
        if (!long.TryParse(request.Q("shop_id"), out var shopId))
            return Error(400, "error_param", "Missing shop_id.");
        if (request.Q("sign") != Sign(path, timestamp, accessToken, shopId))
            return Error(403, "error_sign", "Wrong sign.");
        lock (_gate)
        {
            if (RejectCredentials || _accessExpired || accessToken != CurrentAccessToken)
                return Error(403, "invalid_acceess_token", "Invalid access_token.");
        }
        if (shopId != ShopId)
            return Error(403, "error_auth", "The shop has not authorized the partner (shop_id).");

        return path switch
        {
            ShopInfoPath => FakeResponse.Json(new
            {
                shop_name = "Conformance Shop", region = "SG", status = "NORMAL", is_cb = false, is_sip = false, auth_time = 1_700_000_000,
                expire_time = 1_900_000_000, request_id = RequestId(), error = "", message = "",
            }),
            OrderListPath => OrderList(request),
            OrderDetailPath => OrderDetail(request),
            CommentPath => Comments(request),
            ConversationListPath => Conversations(request),
            MessagePath => Messages(request),
            _ => Error(404, "error_not_found", $"No API at {path}."),
        };
    }

    private string? ApiPath(string path)
    {
        var prefix = PathPrefix.TrimEnd('/');
        if (prefix.Length == 0) return path;
        return path.StartsWith(prefix + "/", StringComparison.Ordinal) ? path[prefix.Length..] : null;
    }

    private FakeResponse RefreshTokens(FakeRequest request)
    {
        JsonElement body;
        try { body = request.JsonBody(); }
        catch (JsonException) { return Error(400, "error_param", "The body is not JSON."); }
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("refresh_token", out var refresh) || refresh.ValueKind != JsonValueKind.String
            || !body.TryGetProperty("partner_id", out var partner) || partner.ValueKind != JsonValueKind.Number || partner.GetInt64() != PartnerId
            || !body.TryGetProperty("shop_id", out var shop) || shop.ValueKind != JsonValueKind.Number || shop.GetInt64() != ShopId)
            return Error(400, "error_param", "refresh_token, partner_id (number) and shop_id (number) are required.");
        lock (_gate)
        {
            if (RejectCredentials || refresh.GetString() != CurrentRefreshToken)
                return Error(403, "error_auth", "Invalid refresh_token.");
            _refreshes++;
            CurrentAccessToken = $"access{_refreshes:D4}{Guid.NewGuid():N}";
            CurrentRefreshToken = $"refresh{_refreshes:D4}{Guid.NewGuid():N}";
            _accessExpired = false;
            return FakeResponse.Json(new
            {
                partner_id = PartnerId, shop_id = ShopId, access_token = CurrentAccessToken, refresh_token = CurrentRefreshToken,
                expire_in = 14_400, request_id = RequestId(), error = "", message = "",
            });
        }
    }

    // ---- orders ---------------------------------------------------------------------------------------------

    private sealed record FakeOrder(string OrderSn, long UpdateTime, Func<object> Render);

    private List<FakeOrder> Orders()
    {
        var orders = new List<FakeOrder>();
        if (Stream == StreamName.Orders)
            orders.AddRange(Items.Select(i => new FakeOrder(OrderSnOf(i.Number), i.UpdatedAt.ToUnixTimeSeconds(), () => RenderOrder(i))));
        orders.AddRange(ExtraOrders.Select(o => new FakeOrder(o.OrderSn, o.UpdatedAt.ToUnixTimeSeconds(), () => RenderExtra(o))));
        return orders;
    }

    private FakeResponse OrderList(FakeRequest request)
    {
        var field = request.Q("time_range_field");
        if (field is not ("create_time" or "update_time"))
            return Error(400, "error_param", "time_range_field must be create_time or update_time.");
        if (!long.TryParse(request.Q("time_from"), out var from) || !long.TryParse(request.Q("time_to"), out var to))
            return Error(400, "error_param", "time_from and time_to are required.");
        if (from > to)
            return Error(400, "error_param", "time_from must be earlier than time_to.");
        if (to - from > MaxWindowSeconds)
            return Error(400, "error_param", "The time range between time_from and time_to must not exceed 15 days.");
        if (!int.TryParse(request.Q("page_size"), out var pageSize) || pageSize is < 1 or > 100)
            return Error(400, "error_param", "page_size must be between 1 and 100.");
        var offset = Offset(request.Q("cursor"));
        if (offset is null) return Error(400, "error_param", "Invalid cursor.");
        lock (_gate) _windows.Add((from, to, pageSize));

        var matching = Orders()
            .Where(o => field == "update_time" ? o.UpdateTime >= from && o.UpdateTime <= to : CreateTimeOf(o) >= from && CreateTimeOf(o) <= to)
            .OrderByDescending(o => o.UpdateTime).ThenBy(o => o.OrderSn, StringComparer.Ordinal).ToList();
        var page = matching.Skip(offset.Value).Take(pageSize).ToList();
        var more = offset.Value + page.Count < matching.Count;
        return Envelope(new
        {
            more,
            next_cursor = more ? (offset.Value + page.Count).ToString(CultureInfo.InvariantCulture) : "",
            order_list = page.Select(o => new { order_sn = o.OrderSn }).ToList(),
        });
    }

    private long CreateTimeOf(FakeOrder order)
    {
        var item = Items.FirstOrDefault(i => OrderSnOf(i.Number) == order.OrderSn);
        if (item is not null) return item.CreatedAt.ToUnixTimeSeconds();
        return ExtraOrders.First(o => o.OrderSn == order.OrderSn).CreatedAt.ToUnixTimeSeconds();
    }

    private FakeResponse OrderDetail(FakeRequest request)
    {
        var sns = (request.Q("order_sn_list") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (sns.Length is < 1 or > 50)
            return Error(400, "error_param", "order_sn_list must hold between 1 and 50 order_sn.");
        lock (_gate) _detailBatches.Add(sns.Length);
        var orders = Orders().ToDictionary(o => o.OrderSn, StringComparer.Ordinal);
        var found = sns.Where(orders.ContainsKey).Select(sn => orders[sn].Render()).ToList();
        var missing = sns.Where(sn => !orders.ContainsKey(sn)).ToList();
        return FakeResponse.Json(new
        {
            request_id = RequestId(), error = "", message = "",
            response = new { order_list = found },
            warning = missing.Select(sn => $"order_sn {sn} not found").ToList(),
        });
    }

    /// <summary>An order of get_order_detail with all the optional fields the connector asks for.</summary>
    public static object RenderOrder(SampleItem item)
    {
        var n = item.Number;
        var place = Places[n % Places.Length];
        var buyer = n % 97;
        var lines = Enumerable.Range(0, 1 + n % 3).Select(k =>
        {
            var itemId = 100_000L + (n * 7 + k) % 500;
            var price = 5m + (n * 13 + k * 7) % 9000 / 100m;
            return new
            {
                item_id = itemId,
                item_name = $"Product {itemId}",
                item_sku = $"ITEM-{itemId}",
                model_id = itemId * 10 + k,
                model_name = k == 0 ? "" : $"Variant {k}",
                model_sku = n % 4 == 0 ? "" : $"SKU-{itemId}-{k}",
                model_quantity_purchased = 1 + (n + k) % 3,
                model_original_price = price + 1m,
                model_discounted_price = price,
                wholesale = false,
                weight = 0.25,
                add_on_deal = false,
                main_item = false,
                add_on_deal_id = 0,
                promotion_type = "",
                promotion_id = 0,
                order_item_id = itemId,
                promotion_group_id = 0,
                image_info = new { image_url = $"https://cf.shopee.sg/file/{itemId}" },
            };
        }).ToList();
        var shipping = n % 2 == 0 ? 2.50m : 0m;
        return new
        {
            order_sn = OrderSnOf(n),
            region = place.Region,
            currency = place.Currency,
            cod = false,
            total_amount = lines.Sum(l => l.model_discounted_price * l.model_quantity_purchased) + shipping,
            order_status = Statuses[n % Statuses.Length],
            shipping_carrier = "Standard Delivery",
            payment_method = "Credit Card",
            estimated_shipping_fee = shipping,
            message_to_seller = "",
            create_time = item.CreatedAt.ToUnixTimeSeconds(),
            update_time = item.UpdatedAt.ToUnixTimeSeconds(),
            days_to_ship = 3,
            ship_by_date = item.CreatedAt.AddDays(3).ToUnixTimeSeconds(),
            buyer_user_id = 700_000_000L + buyer,
            buyer_username = $"buyer{buyer:D2}",
            recipient_address = new
            {
                name = $"B****r {buyer:D2}",
                phone = $"******{buyer:D2}",
                town = "",
                district = "",
                city = place.City,
                state = "",
                region = place.Region,
                zipcode = place.Zip,
                full_address = $"****** {place.City}",
            },
            actual_shipping_fee = shipping,
            goods_to_declare = false,
            note = "",
            note_update_time = 0,
            item_list = lines,
            pay_time = item.CreatedAt.AddMinutes(5).ToUnixTimeSeconds(),
            dropshipper = "",
            dropshipper_phone = "",
            split_up = false,
        };
    }

    private static object RenderExtra(ShopeeExtraOrder o) => new
    {
        order_sn = o.OrderSn,
        region = o.Region,
        currency = o.Currency,
        cod = false,
        total_amount = o.Total,
        order_status = o.OrderStatus,
        create_time = o.CreatedAt.ToUnixTimeSeconds(),
        update_time = o.UpdatedAt.ToUnixTimeSeconds(),
        buyer_user_id = o.BuyerUserId,
        buyer_username = o.BuyerUsername,
        recipient_address = new { name = o.RecipientName, phone = o.RecipientPhone, town = "", district = "", city = o.City, state = "", region = o.Region, zipcode = o.Zipcode, full_address = o.City },
        item_list = new[]
        {
            new { item_id = 424_242L, item_name = "Extra product", item_sku = "EXTRA-1", model_id = 0L, model_name = "", model_sku = "", model_quantity_purchased = 1, model_original_price = o.Total, model_discounted_price = o.Total },
        },
    };

    // ---- reviews --------------------------------------------------------------------------------------------

    private FakeResponse Comments(FakeRequest request)
    {
        if (!int.TryParse(request.Q("page_size"), out var pageSize) || pageSize is < 1 or > 100)
            return Error(400, "error_param", "page_size must be between 1 and 100.");
        var offset = Offset(request.Q("cursor"));
        if (offset is null) return Error(400, "error_param", "Invalid cursor.");
        var all = Stream == StreamName.Reviews
            ? Items.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number).ToList()
            : [];
        var page = all.Skip(offset.Value).Take(pageSize).ToList();
        var more = offset.Value + page.Count < all.Count;
        return Envelope(new
        {
            item_comment_list = page.Select(RenderComment).ToList(),
            more,
            next_cursor = more ? (offset.Value + page.Count).ToString(CultureInfo.InvariantCulture) : "",
        });
    }

    /// <summary>A comment of get_comment; a seller reply (with its time) when the item changed after it was written.</summary>
    public static object RenderComment(SampleItem item)
    {
        var n = item.Number;
        var itemId = 100_000L + n % 500;
        var replied = item.UpdatedAt > item.CreatedAt;
        return new
        {
            comment_id = CommentIdOf(n),
            comment = n % 7 == 0 ? "" : $"Review {n}: {(n % 5 >= 3 ? "great product, fast delivery" : "not as described")}",
            buyer_username = n % 11 == 0 ? "" : $"r*****{n % 50:D2}",
            order_sn = OrderSnOf(n),
            item_id = itemId,
            model_id = n % 2 == 0 ? itemId * 10 : 0,
            create_time = item.CreatedAt.ToUnixTimeSeconds(),
            rating_star = 1 + n % 5,
            editable = n % 2 == 0 ? "EDITABLE" : "UNEDITABLE",
            hidden = false,
            media = new { image_url_list = Array.Empty<string>(), video_url_list = Array.Empty<string>() },
            comment_reply = replied
                ? new { reply = $"Thank you for review {n}", hidden = false, create_time = item.UpdatedAt.ToUnixTimeSeconds() }
                : null,
        };
    }

    // ---- chats ----------------------------------------------------------------------------------------------

    private sealed record FakeConversation(int Index, long LastNano, IReadOnlyList<SampleItem> Messages);

    private List<FakeConversation> ConversationsNow() => Stream != StreamName.Chats ? [] :
        [.. Items.GroupBy(i => ConversationOf(i.Number))
            .Select(g => new FakeConversation(g.Key, g.Max(i => i.UpdatedAt.ToUnixTimeSeconds()) * 1_000_000_000 + g.Key * 1_000,
                [.. g.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number)]))
            .OrderByDescending(c => c.LastNano)];

    private FakeResponse Conversations(FakeRequest request)
    {
        var direction = request.Q("direction");
        if (direction is not ("latest" or "older"))
            return Error(400, "error_param", "direction must be latest or older.");
        if (request.Q("type") is not ("all" or "pinned" or "unread"))
            return Error(400, "error_param", "type must be all, pinned or unread.");
        if (!int.TryParse(request.Q("page_size"), out var pageSize) || pageSize is < 1 or > 60)
            return Error(400, "error_param", "page_size must be between 1 and 60.");
        long? next = long.TryParse(request.Q("next_timestamp_nano"), out var n) ? n : null;
        var all = ConversationsNow();
        if (request.Q("type") != "all") all = [];
        var matching = next is null ? all : direction == "older" ? [.. all.Where(c => c.LastNano < next)] : [.. all.Where(c => c.LastNano > next)];
        var page = matching.Take(pageSize).ToList();
        var more = matching.Count > page.Count;
        return Envelope(new
        {
            conversations = page.Select(c =>
            {
                var latest = c.Messages[0];
                return new
                {
                    conversation_id = ConversationIdOf(c.Index),
                    to_id = ChatBuyerIdOf(c.Index),
                    to_name = $"chatbuyer{c.Index:D2}",
                    to_avatar = $"https://cf.shopee.sg/file/avatar{c.Index}",
                    shop_id = ShopId,
                    unread_count = c.Index % 3,
                    pinned = false,
                    last_read_message_id = MessageIdOf(latest.Number),
                    latest_message_id = MessageIdOf(latest.Number),
                    latest_message_type = "text",
                    latest_message_content = new { text = MessageText(latest.Number) },
                    latest_message_from_id = IsInbound(latest.Number) ? ChatBuyerIdOf(c.Index) : ShopId,
                    last_message_timestamp = c.LastNano,
                    last_message_option = 0,
                    max_general_option_hide_time = "9223372036854775807",
                };
            }).ToList(),
            page_result = new
            {
                page_size = page.Count,
                next_cursor = new
                {
                    next_message_time_nano = page.Count > 0 ? page[^1].LastNano.ToString(CultureInfo.InvariantCulture) : "0",
                    conversation_id = page.Count > 0 ? ConversationIdOf(page[^1].Index) : "0",
                },
                more,
            },
        });
    }

    private FakeResponse Messages(FakeRequest request)
    {
        if (request.Q("conversation_id") is not { Length: > 0 } conversationId)
            return Error(400, "error_param", "conversation_id is required.");
        if (!int.TryParse(request.Q("page_size"), out var pageSize) || pageSize is < 1 or > 60)
            return Error(400, "error_param", "page_size must be between 1 and 60.");
        var offset = Offset(request.Q("offset"));
        if (offset is null) return Error(400, "error_param", "Invalid offset.");
        var conversation = ConversationsNow().FirstOrDefault(c => ConversationIdOf(c.Index) == conversationId);
        if (conversation is null) return Error(400, "error_param", "The conversation does not exist.");
        var page = conversation.Messages.Skip(offset.Value).Take(pageSize).ToList();
        var more = offset.Value + page.Count < conversation.Messages.Count;
        return Envelope(new
        {
            messages = page.Select(m => RenderMessage(m, conversation.Index)).ToList(),
            page_result = new
            {
                page_size = page.Count,
                next_offset = more ? (offset.Value + page.Count).ToString(CultureInfo.InvariantCulture) : "",
                prev_offset = offset.Value.ToString(CultureInfo.InvariantCulture),
            },
        });
    }

    public static string MessageText(int number) => IsInbound(number) ? $"Hi, where is my parcel? (message {number})" : $"Your parcel ships today (message {number})";

    /// <summary>A message of get_message: the buyer writes from their user id, the shop from the shop's.</summary>
    public static object RenderMessage(SampleItem item, int conversation)
    {
        var n = item.Number;
        var inbound = IsInbound(n);
        var buyer = ChatBuyerIdOf(conversation);
        return new
        {
            message_id = MessageIdOf(n),
            request_id = "",
            to_id = inbound ? ShopId : buyer,
            from_id = inbound ? buyer : ShopId,
            from_shop_id = inbound ? 0 : ShopId,
            to_shop_id = inbound ? ShopId : 0,
            message_type = "text",
            content = new { text = MessageText(n) },
            conversation_id = ConversationIdOf(conversation),
            created_timestamp = item.UpdatedAt.ToUnixTimeSeconds(),
            region = "SG",
            status = "received",
            source = "web",
            quoted_msg = (object?)null,
            message_option = 0,
            source_content = n % 5 == 0 ? new { order_sn = OrderSnOf(n) } : null,
        };
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static int? Offset(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? 0 : int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : null;

    private static FakeResponse Envelope(object response) =>
        FakeResponse.Json(new { request_id = RequestId(), error = "", message = "", response });

    private static FakeResponse Error(int status, string error, string message) =>
        FakeResponse.Json(new { request_id = RequestId(), error, message }, status);

    private static string RequestId() => Guid.NewGuid().ToString("N");
}
