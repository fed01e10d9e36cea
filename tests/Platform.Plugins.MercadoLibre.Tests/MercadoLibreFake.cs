using System.Globalization;
using Platform.Plugins.Testing;

namespace Platform.Plugins.MercadoLibre.Tests;

/// <summary>
/// Mercado Libre as developers.mercadolibre.com documents it, for one stream (<see cref="Mode"/>):
/// POST /oauth/token with rotating refresh tokens (a used refresh token answers invalid_grant), bearer checks
/// (401 otherwise), GET /users/me, GET /orders/search by order.date_last_updated range sorted by date_created
/// (offset/limit/paging.total, limit at most 51, offset+limit at most 10,000), GET /users/{id}/items/search,
/// GET /reviews/item/{item_id}, GET /questions/search (api_version 4) and GET /messages/packs/{pack_id}/sellers/{seller_id}
/// (tag=post_sale, offset/limit paging). Payloads follow the documentation's examples ("Manage orders", "Product
/// reviews", "Questions and answers", "Post-sale messages"); order and question times carry the site's offset (-03:00)
/// as there, message times are UTC ("Z") as there.
/// In <see cref="FakeStream.Chats"/> mode odd items are listing questions and even items post-sale messages: the even
/// items are grouped, <see cref="MessagesPerPack"/> at a time, into orders (last updated at their newest message) whose
/// pack_id is null for even groups (the pack is then the order id) and set for odd ones.
/// Self-contained: depends on the conformance kit and the BCL only.
/// </summary>
public sealed class MercadoLibreFake : MarketplaceFake
{
    /// <summary>What the fake serves.</summary>
    public enum FakeStream
    {
        /// <summary>Items are orders.</summary>
        Orders,
        /// <summary>Items are product reviews.</summary>
        Reviews,
        /// <summary>Items are chat messages: odd ones listing questions, even ones post-sale pack messages.</summary>
        Chats,
    }

    /// <summary>A buyer as orders show it.</summary>
    public sealed record FakeBuyer(long Id, string Nickname, string FirstName, string LastName, string? Email = null);

    /// <summary>The app id the fake accepts.</summary>
    public const string ClientId = "5685250730848580";
    /// <summary>The app secret the fake accepts.</summary>
    public const string ClientSecret = "ml-secret-0123456789";
    /// <summary>The refresh token the seller's authorization starts with.</summary>
    public const string InitialRefreshToken = "TG-initial-241983636";
    /// <summary>The seller's user id.</summary>
    public const long SellerId = 241983636;
    /// <summary>The seller's nickname.</summary>
    public const string SellerNickname = "TIENDA_PRUEBA";
    /// <summary>Listings the reviews are spread over.</summary>
    public const int ListingCount = 7;

    private static readonly TimeSpan SiteOffset = TimeSpan.FromHours(-3);
    private static readonly string[] Statuses = ["paid", "paid", "confirmed", "payment_required", "payment_in_process", "partially_paid", "cancelled", "invalid", "partially_refunded", "pending_cancel"];
    private readonly object _gate = new();
    private readonly HashSet<string> _refreshTokens = [InitialRefreshToken];
    private readonly HashSet<string> _usedRefreshTokens = [];
    private readonly HashSet<string> _accessTokens = [];
    private readonly List<string> _presented = [];
    private readonly Dictionary<int, FakeBuyer> _buyers = [];
    private readonly List<SampleItem> _extra = [];
    private int _issued;

    /// <summary>Creates the fake for <paramref name="mode"/>.</summary>
    public MercadoLibreFake(FakeStream mode = FakeStream.Orders) => Mode = mode;

    /// <summary>What the items are.</summary>
    public FakeStream Mode { get; set; }

    /// <summary>When set, questions carry the seller's answer this long after they were asked.</summary>
    public TimeSpan? AnswerAfter { get; set; }

    /// <summary>In chats mode, how many post-sale messages (even items) one order's pack holds.</summary>
    public int MessagesPerPack { get; set; } = 3;

    /// <summary>Refresh tokens presented to /oauth/token, oldest first.</summary>
    public IReadOnlyList<string> PresentedRefreshTokens { get { lock (_gate) return [.. _presented]; } }

    /// <summary>Token refreshes answered with new tokens.</summary>
    public int Refreshes { get { lock (_gate) return _issued; } }

    /// <summary>Every item served: the kit's plus the extra orders.</summary>
    public IReadOnlyList<SampleItem> AllItems { get { lock (_gate) return [.. Items, .. _extra]; } }

    /// <summary>Adds an order placed by <paramref name="buyer"/> besides the kit's items.</summary>
    public void AddOrder(SampleItem item, FakeBuyer buyer)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            _extra.Add(item);
            _buyers[item.Number] = buyer;
        }
    }

    /// <summary>Makes every access token issued so far invalid (as when they expire): the next call answers 401.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
            _accessTokens.Clear();
    }

    /// <inheritdoc />
    public override string ExternalIdOf(SampleItem item) => Mode switch
    {
        FakeStream.Orders => OrderId(item.Number).ToString(CultureInfo.InvariantCulture),
        FakeStream.Reviews => ReviewId(item.Number).ToString(CultureInfo.InvariantCulture),
        _ => IsPackMessage(item.Number) ? MessageId(item.Number) : QuestionId(item.Number).ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public override bool IsPageRequest(FakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = Relative(request.Path);
        return path == "/orders/search" || path.StartsWith("/reviews/item/", StringComparison.Ordinal) || path == "/questions/search"
            || path.StartsWith("/messages/packs/", StringComparison.Ordinal);
    }

    /// <summary>The order id of item <paramref name="number"/>.</summary>
    public static long OrderId(int number) => 2_000_003_508_000_000 + number;
    /// <summary>The review id of item <paramref name="number"/>.</summary>
    public static long ReviewId(int number) => 60_934_000 + number;
    /// <summary>The question id of item <paramref name="number"/>.</summary>
    public static long QuestionId(int number) => 12_345_600_000 + number;
    /// <summary>Whether item <paramref name="number"/> is a post-sale message (chats mode); otherwise it is a listing question.</summary>
    public static bool IsPackMessage(int number) => number % 2 == 0;
    /// <summary>The post-sale message id of item <paramref name="number"/> (32 hex digits, as in the documentation).</summary>
    public static string MessageId(int number) => $"2d45a5ad186041659e9a{number:x12}";
    /// <summary>Whether the seller (rather than the buyer) sent post-sale message <paramref name="number"/>.</summary>
    public static bool FromSeller(int number) => number % 4 == 0;
    /// <summary>The group (order) of post-sale message <paramref name="number"/>.</summary>
    public int PackGroupOf(int number) => (number / 2 - 1) / Math.Max(1, MessagesPerPack);
    /// <summary>The id of the order of message group <paramref name="group"/>.</summary>
    public static long ChatOrderId(int group) => 2_000_003_509_000_000 + group;
    /// <summary>The pack_id of the order of message group <paramref name="group"/>: null for even groups.</summary>
    public static long? PackIdOf(int group) => group % 2 == 0 ? null : 2_000_004_100_000_000 + group;
    /// <summary>The pack the messages of group <paramref name="group"/> are read from: pack_id, else the order id.</summary>
    public static long PackOf(int group) => PackIdOf(group) ?? ChatOrderId(group);
    /// <summary>The buyer of the order of message group <paramref name="group"/>.</summary>
    public static FakeBuyer PackBuyer(int group) => new(117_000_000 + group, $"COMPRADORPACK{group}", "Comprador", $"Pack {group}");

    /// <summary>The listing of item <paramref name="number"/>.</summary>
    public static string ListingOf(int number) => $"MLA{769_281_450 + number % ListingCount}";
    /// <summary>The order status of item <paramref name="number"/>.</summary>
    public static string StatusOf(int number) => Statuses[number % Statuses.Length];
    /// <summary>Whether item <paramref name="number"/>'s order carries the "delivered" tag.</summary>
    public static bool DeliveredOf(int number) => number % 4 == 0 && StatusOf(number) == "paid";
    /// <summary>The unit price of item <paramref name="number"/>'s order line (ARS, with cents).</summary>
    public static decimal UnitPriceOf(int number) => 1000m + number + 0.99m;
    /// <summary>The quantity of item <paramref name="number"/>'s order line.</summary>
    public static int QuantityOf(int number) => 1 + number % 3;
    /// <summary>The buyer of item <paramref name="number"/> unless one was given.</summary>
    public static FakeBuyer DefaultBuyer(int number) => new(116_038_000 + number, $"COMPRADOR{number}", "Comprador", $"Prueba {number}");
    /// <summary>A time as Mercado Libre writes it (site offset, milliseconds).</summary>
    public static string Wire(DateTimeOffset time) => time.ToOffset(SiteOffset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>A path prefix the fake is mounted under (as with a baseUrl like http://host/prefix); calls must use it.</summary>
    public string PathPrefix { get; set; } = "";

    /// <inheritdoc />
    public override FakeResponse Handle(FakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Path.StartsWith(PathPrefix, StringComparison.Ordinal))
            return NotFound(request);
        var path = Relative(request.Path);
        if (path == "/oauth/token" && request.Method == "POST")
            return Token(request);
        if (!Authorized(request))
            return FakeResponse.Json(new Dictionary<string, object?> { ["message"] = "invalid access token", ["error"] = "not_found", ["status"] = 401, ["cause"] = Array.Empty<object>() }, 401);
        if (request.Method != "GET")
            return NotFound(request);
        if (path == "/users/me")
            return FakeResponse.Json(new Dictionary<string, object?> { ["id"] = SellerId, ["nickname"] = SellerNickname, ["site_id"] = "MLA", ["country_id"] = "AR", ["user_type"] = "normal" });
        if (path == "/orders/search")
            return Orders(request);
        if (path == $"/users/{SellerId}/items/search")
            return Listings(request);
        if (path.StartsWith("/reviews/item/", StringComparison.Ordinal))
            return Reviews(request, path["/reviews/item/".Length..]);
        if (path == "/questions/search")
            return Questions(request);
        if (path.StartsWith("/messages/packs/", StringComparison.Ordinal))
            return PackMessages(request, path["/messages/packs/".Length..]);
        return NotFound(request);
    }

    private string Relative(string path) => PathPrefix.Length > 0 && path.StartsWith(PathPrefix, StringComparison.Ordinal) ? path[PathPrefix.Length..] : path;

    private static FakeResponse NotFound(FakeRequest request) =>
        FakeResponse.Json(new Dictionary<string, object?> { ["message"] = $"Resource {request.Path} not found.", ["error"] = "not_found", ["status"] = 404, ["cause"] = Array.Empty<object>() }, 404);

    private static FakeResponse BadRequest(string message) =>
        FakeResponse.Json(new Dictionary<string, object?> { ["message"] = message, ["error"] = "bad_request", ["status"] = 400, ["cause"] = Array.Empty<object>() }, 400);

    // ---- OAuth ---------------------------------------------------------------------------------------------

    private FakeResponse Token(FakeRequest request)
    {
        static FakeResponse Error(string error, string description, int status = 400) =>
            FakeResponse.Json(new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description, ["status"] = status, ["cause"] = Array.Empty<object>() }, status);

        var refresh = request.Form("refresh_token") ?? "";
        lock (_gate)
        {
            _presented.Add(refresh);
            if (request.Form("grant_type") != "refresh_token")
                return Error("unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
            if (request.Form("client_id") != ClientId || request.Form("client_secret") != ClientSecret)
                return Error("invalid_client", "invalid client_id or client_secret");
            if (RejectCredentials || !_refreshTokens.Contains(refresh) || _usedRefreshTokens.Contains(refresh))
                return Error("invalid_grant", "invalid_grant");
            _usedRefreshTokens.Add(refresh);
            _refreshTokens.Remove(refresh);
            _issued++;
            var access = $"APP_USR-{ClientId}-{_issued:D6}-access-{SellerId}";
            var next = $"TG-{_issued:D6}-rotated-{SellerId}";
            _accessTokens.Add(access);
            _refreshTokens.Add(next);
            return FakeResponse.Json(new Dictionary<string, object?>
            {
                ["access_token"] = access,
                ["token_type"] = "bearer",
                ["expires_in"] = 21600,
                ["scope"] = "offline_access read write",
                ["user_id"] = SellerId,
                ["refresh_token"] = next,
            });
        }
    }

    private bool Authorized(FakeRequest request)
    {
        var bearer = request.Bearer();
        lock (_gate)
            return !RejectCredentials && bearer is not null && _accessTokens.Contains(bearer);
    }

    // ---- orders --------------------------------------------------------------------------------------------

    private FakeResponse Orders(FakeRequest request)
    {
        if (request.Q("seller") != SellerId.ToString(CultureInfo.InvariantCulture))
            return FakeResponse.Json(new Dictionary<string, object?> { ["message"] = "Invalid caller.id", ["error"] = "forbidden", ["status"] = 403, ["cause"] = Array.Empty<object>() }, 403);
        if (!TryPaging(request, 51, out var offset, out var limit, out var error))
            return error!;
        if (offset + limit > 10_000)
            return BadRequest("offset + limit cannot exceed 10000");
        var from = Parse(request.Q("order.date_last_updated.from"));
        var to = Parse(request.Q("order.date_last_updated.to"));
        if (request.Q("order.date_last_updated.from") is not null && from is null || request.Q("order.date_last_updated.to") is not null && to is null)
            return BadRequest("invalid date filter");
        var source = Mode == FakeStream.Chats
            ? ChatOrders().Select(g => (Order: g, Payload: (Func<Dictionary<string, object?>>)(() => Order(g, ChatOrderId(g.Number), PackIdOf(g.Number), PackBuyer(g.Number)))))
            : AllItems.Select(i => (Order: i, Payload: (Func<Dictionary<string, object?>>)(() => Order(i))));
        var matching = source
            .Where(o => (from is null || o.Order.UpdatedAt >= from) && (to is null || o.Order.UpdatedAt <= to))
            .OrderBy(o => request.Q("sort") == "date_desc" ? -o.Order.CreatedAt.UtcTicks : o.Order.CreatedAt.UtcTicks).ThenBy(o => o.Order.Number)
            .ToList();
        return FakeResponse.Json(new Dictionary<string, object?>
        {
            ["query"] = null,
            ["results"] = matching.Skip(offset).Take(limit).Select(o => o.Payload()).ToList(),
            ["sort"] = new Dictionary<string, object?> { ["id"] = request.Q("sort") ?? "date_asc", ["name"] = "Date ascending" },
            ["available_sorts"] = new[] { new Dictionary<string, object?> { ["id"] = "date_desc", ["name"] = "Date descending" } },
            ["filters"] = Array.Empty<object>(),
            ["paging"] = new Dictionary<string, object?> { ["total"] = matching.Count, ["offset"] = offset, ["limit"] = limit },
            ["display"] = "complete",
        });
    }

    private Dictionary<string, object?> Order(SampleItem item)
    {
        var n = item.Number;
        FakeBuyer buyer;
        lock (_gate)
            buyer = _buyers.TryGetValue(n, out var b) ? b : DefaultBuyer(n);
        return Order(item, OrderId(n), n % 3 == 0 ? 2_000_004_000_000_000 + n : null, buyer);
    }

    private static Dictionary<string, object?> Order(SampleItem item, long id, long? packId, FakeBuyer buyer)
    {
        var n = item.Number;
        var quantity = QuantityOf(n);
        var price = UnitPriceOf(n);
        var status = StatusOf(n);
        var tags = new List<string> { "not_delivered" };
        if (status == "paid")
            tags = ["paid", DeliveredOf(n) ? "delivered" : "not_delivered"];
        return new Dictionary<string, object?>
        {
            ["id"] = id,
            ["date_created"] = Wire(item.CreatedAt),
            ["date_closed"] = Wire(item.CreatedAt.AddMinutes(3)),
            ["last_updated"] = Wire(item.UpdatedAt),
            ["date_last_updated"] = Wire(item.UpdatedAt),
            ["expiration_date"] = Wire(item.CreatedAt.AddDays(28)),
            ["pack_id"] = packId,
            ["fulfilled"] = null,
            ["status"] = status,
            ["status_detail"] = null,
            ["tags"] = tags,
            ["order_items"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["item"] = new Dictionary<string, object?>
                    {
                        ["id"] = ListingOf(n),
                        ["title"] = $"Producto de prueba {n % ListingCount}",
                        ["category_id"] = "MLA1055",
                        ["variation_id"] = null,
                        ["seller_custom_field"] = null,
                        ["variation_attributes"] = Array.Empty<object>(),
                        ["warranty"] = "Garantía de fábrica: 12 meses",
                        ["condition"] = "new",
                        ["seller_sku"] = n % 5 == 0 ? null : $"SKU-{n % ListingCount}",
                    },
                    ["quantity"] = quantity,
                    ["unit_price"] = price,
                    ["full_unit_price"] = price,
                    ["currency_id"] = "ARS",
                    ["sale_fee"] = Math.Round(price * 0.13m, 2),
                    ["listing_type_id"] = "gold_special",
                },
            },
            ["total_amount"] = price * quantity,
            ["paid_amount"] = status == "paid" ? price * quantity + 150m : 0m,
            ["currency_id"] = "ARS",
            ["buyer"] = new Dictionary<string, object?>
            {
                ["id"] = buyer.Id,
                ["nickname"] = buyer.Nickname,
                ["first_name"] = buyer.FirstName,
                ["last_name"] = buyer.LastName,
                ["email"] = buyer.Email,
            },
            ["seller"] = new Dictionary<string, object?> { ["id"] = SellerId },
            ["payments"] = Array.Empty<object>(),
            ["feedback"] = new Dictionary<string, object?> { ["buyer"] = null, ["seller"] = null },
            ["shipping"] = new Dictionary<string, object?> { ["id"] = 40_000_000_000 + n },
            ["context"] = new Dictionary<string, object?> { ["channel"] = "marketplace", ["site"] = "MLA", ["flows"] = Array.Empty<object>() },
        };
    }

    // ---- reviews -------------------------------------------------------------------------------------------

    private FakeResponse Listings(FakeRequest request)
    {
        if (!TryPaging(request, 100, out var offset, out var limit, out var error))
            return error!;
        var listings = Enumerable.Range(0, ListingCount).Select(ListingOf).Append("MLA999999999").ToList(); // one listing without reviews
        return FakeResponse.Json(new Dictionary<string, object?>
        {
            ["seller_id"] = SellerId.ToString(CultureInfo.InvariantCulture),
            ["results"] = listings.Skip(offset).Take(limit).ToList(),
            ["paging"] = new Dictionary<string, object?> { ["limit"] = limit, ["offset"] = offset, ["total"] = listings.Count },
            ["query"] = null,
            ["orders"] = Array.Empty<object>(),
            ["available_orders"] = Array.Empty<object>(),
        });
    }

    private FakeResponse Reviews(FakeRequest request, string listing)
    {
        if (!TryPaging(request, 9_999, out var offset, out var limit, out var error, defaultLimit: 5))
            return error!;
        // Newest first, as the product page shows them.
        var reviews = AllItems.Where(i => ListingOf(i.Number) == listing).OrderByDescending(i => i.UpdatedAt).ThenBy(i => i.Number).ToList();
        var n = reviews.Count;
        return FakeResponse.Json(new Dictionary<string, object?>
        {
            ["paging"] = new Dictionary<string, object?> { ["total"] = n, ["limit"] = limit, ["offset"] = offset, ["kvs_total"] = n, ["reviews_with_comment"] = n },
            ["reviews"] = reviews.Skip(offset).Take(limit).Select(i => new Dictionary<string, object?>
            {
                ["id"] = ReviewId(i.Number),
                ["reviewable_object"] = new Dictionary<string, object?> { ["id"] = listing, ["type"] = "item" },
                // The review's only time: the kit's change time (an edited review is dated anew).
                ["date_created"] = i.UpdatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["status"] = "published",
                ["title"] = $"Opinión {i.Number}",
                ["content"] = $"Buen producto, llegó bien ({i.Number}).",
                ["rate"] = 1 + i.Number % 5,
                ["valorization"] = 0,
                ["likes"] = i.Number % 3,
                ["dislikes"] = 0,
                ["reviewer_id"] = 0,
                ["buying_date"] = i.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["relevance"] = 10,
                ["forbidden_words"] = 0,
            }).ToList(),
            ["helpful_reviews"] = null,
            ["rating_average"] = n == 0 ? 0m : Math.Round(reviews.Average(i => 1m + i.Number % 5), 1),
            ["rating_levels"] = new Dictionary<string, object?>
            {
                ["one_star"] = reviews.Count(i => i.Number % 5 == 0),
                ["two_star"] = reviews.Count(i => i.Number % 5 == 1),
                ["three_star"] = reviews.Count(i => i.Number % 5 == 2),
                ["four_star"] = reviews.Count(i => i.Number % 5 == 3),
                ["five_star"] = reviews.Count(i => i.Number % 5 == 4),
            },
        });
    }

    // ---- questions -----------------------------------------------------------------------------------------

    private FakeResponse Questions(FakeRequest request)
    {
        if (request.Q("seller_id") != SellerId.ToString(CultureInfo.InvariantCulture))
            return FakeResponse.Json(new Dictionary<string, object?> { ["message"] = "Invalid caller.id", ["error"] = "forbidden", ["status"] = 403, ["cause"] = Array.Empty<object>() }, 403);
        if (!TryPaging(request, 50, out var offset, out var limit, out var error))
            return error!;
        var descending = string.Equals(request.Q("sort_types"), "DESC", StringComparison.OrdinalIgnoreCase);
        var asked = AllItems.Where(i => Mode != FakeStream.Chats || !IsPackMessage(i.Number));
        var ordered = descending
            ? asked.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number)
            : asked.OrderBy(i => i.UpdatedAt).ThenBy(i => i.Number);
        var questions = ordered.ToList();
        return FakeResponse.Json(new Dictionary<string, object?>
        {
            ["total"] = questions.Count,
            ["limit"] = limit,
            ["questions"] = questions.Skip(offset).Take(limit).Select(i =>
            {
                var answered = AnswerAfter is { } after ? i.UpdatedAt + after : (DateTimeOffset?)null;
                return new Dictionary<string, object?>
                {
                    ["id"] = QuestionId(i.Number),
                    ["seller_id"] = SellerId,
                    ["text"] = $"¿Tienen stock del modelo {i.Number}?",
                    ["status"] = answered is null ? "UNANSWERED" : "ANSWERED",
                    ["item_id"] = ListingOf(i.Number),
                    // Each kit item is one message: the question, asked at the item's change time.
                    ["date_created"] = Wire(i.UpdatedAt),
                    ["hold"] = false,
                    ["deleted_from_listing"] = false,
                    ["answer"] = answered is null ? null : new Dictionary<string, object?>
                    {
                        ["text"] = $"Sí, hay stock ({i.Number}).",
                        ["status"] = "ACTIVE",
                        ["date_created"] = Wire(answered.Value),
                    },
                    ["from"] = new Dictionary<string, object?> { ["id"] = DefaultBuyer(i.Number).Id },
                };
            }).ToList(),
            ["filters"] = new Dictionary<string, object?> { ["limit"] = limit, ["offset"] = offset, ["api_version"] = "4", ["is_admin"] = false, ["sorts"] = Array.Empty<object>(), ["caller"] = SellerId, ["seller"] = SellerId.ToString(CultureInfo.InvariantCulture) },
            ["available_filters"] = Array.Empty<object>(),
            ["available_sorts"] = new[] { "item_id", "from_id", "date_created", "seller_id" },
        });
    }

    // ---- post-sale messages --------------------------------------------------------------------------------

    /// <summary>The orders of the post-sale messages: Number is the group, created at its first item's creation, updated at its newest message.</summary>
    private List<SampleItem> ChatOrders() => [.. AllItems.Where(i => IsPackMessage(i.Number)).GroupBy(i => PackGroupOf(i.Number))
        .Select(g => new SampleItem(g.Key, g.Min(i => i.CreatedAt), g.Max(i => i.UpdatedAt)))];

    private FakeResponse PackMessages(FakeRequest request, string rest)
    {
        // {pack_id}/sellers/{seller_id}
        var parts = rest.Split('/');
        if (parts.Length != 3 || parts[1] != "sellers" || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pack))
            return NotFound(request);
        if (parts[2] != SellerId.ToString(CultureInfo.InvariantCulture))
            return FakeResponse.Json(new Dictionary<string, object?> { ["message"] = "Invalid caller.id", ["error"] = "forbidden", ["status"] = 403, ["cause"] = Array.Empty<object>() }, 403);
        if (request.Q("tag") != "post_sale")
            return BadRequest("tag must be post_sale");
        if (!TryPaging(request, 100, out var offset, out var limit, out var error, defaultLimit: 10))
            return error!;
        var messages = AllItems.Where(i => IsPackMessage(i.Number) && PackOf(PackGroupOf(i.Number)) == pack)
            .OrderBy(i => i.UpdatedAt).ThenBy(i => i.Number).ToList();
        if (messages.Count == 0)
            return NotFound(request); // no such pack (e.g. the order id of an order that has a pack_id)
        var group = PackGroupOf(messages[0].Number);
        var buyer = PackBuyer(group).Id;
        static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return FakeResponse.Json(new Dictionary<string, object?>
        {
            ["paging"] = new Dictionary<string, object?> { ["limit"] = limit, ["offset"] = offset, ["total"] = messages.Count },
            ["conversation_status"] = new Dictionary<string, object?>
            {
                ["path"] = $"/packs/{pack}/sellers/{SellerId}",
                ["status"] = "active",
                ["substatus"] = null,
                ["status_date"] = Utc(messages[0].CreatedAt),
                ["status_update_allowed"] = false,
                ["claim_ids"] = null,
                ["shipping_id"] = null,
            },
            ["messages"] = messages.Skip(offset).Take(limit).Select(i =>
            {
                var fromSeller = FromSeller(i.Number);
                return new Dictionary<string, object?>
                {
                    ["id"] = MessageId(i.Number),
                    ["site_id"] = "MLA",
                    ["client_id"] = long.Parse(ClientId, CultureInfo.InvariantCulture),
                    ["from"] = new Dictionary<string, object?> { ["user_id"] = fromSeller ? SellerId : buyer },
                    ["to"] = new Dictionary<string, object?> { ["user_id"] = fromSeller ? buyer : SellerId },
                    ["status"] = "available",
                    ["subject"] = null,
                    ["text"] = fromSeller ? $"Tu paquete sale hoy ({i.Number})." : $"¿Cuándo llega mi compra? ({i.Number})",
                    // Each even kit item is one message, sent at the item's change time.
                    ["message_date"] = new Dictionary<string, object?>
                    {
                        ["received"] = Utc(i.UpdatedAt),
                        ["available"] = Utc(i.UpdatedAt),
                        ["notified"] = Utc(i.UpdatedAt),
                        ["created"] = Utc(i.UpdatedAt),
                        ["read"] = null,
                    },
                    ["message_moderation"] = new Dictionary<string, object?> { ["status"] = "clean", ["reason"] = null, ["source"] = "online", ["moderation_date"] = Utc(i.UpdatedAt) },
                    ["message_attachments"] = null,
                    ["message_resources"] = new[]
                    {
                        new Dictionary<string, object?> { ["id"] = ChatOrderId(group).ToString(CultureInfo.InvariantCulture), ["name"] = "orders" },
                        new Dictionary<string, object?> { ["id"] = pack.ToString(CultureInfo.InvariantCulture), ["name"] = "packs" },
                    },
                    ["conversation_first_message"] = false,
                };
            }).ToList(),
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static bool TryPaging(FakeRequest request, int maxLimit, out int offset, out int limit, out FakeResponse? error, int defaultLimit = 50)
    {
        offset = 0;
        limit = defaultLimit;
        error = null;
        if (request.Q("offset") is { } o && (!int.TryParse(o, NumberStyles.Integer, CultureInfo.InvariantCulture, out offset) || offset < 0))
            error = BadRequest("offset must be a non-negative integer");
        else if (request.Q("limit") is { } l && (!int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
            error = BadRequest($"limit must be between 1 and {maxLimit}");
        return error is null;
    }

    private static DateTimeOffset? Parse(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
