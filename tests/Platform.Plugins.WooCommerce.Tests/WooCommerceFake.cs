using System.Globalization;
using Platform.Plugins.Testing;

namespace Platform.Plugins.WooCommerce.Tests;

/// <summary>
/// A WooCommerce shop's REST API v3 as documented at https://woocommerce.github.io/woocommerce-rest-api-docs/
/// (payload shapes from the "Retrieve an order" and "Retrieve a product review" examples; parameters from
/// "List all orders" and "List all product reviews"). Self-contained: it depends only on the conformance kit and
/// the BCL, so other test projects can link this file.
/// <list type="bullet">
/// <item>HTTP Basic with <see cref="ConsumerKey"/>:<see cref="ConsumerSecret"/>; anything else is a 401 with
/// WordPress's error body (<c>woocommerce_rest_cannot_view</c> without credentials,
/// <c>woocommerce_rest_authentication_error</c> with wrong ones or when <see cref="MarketplaceFake.RejectCredentials"/>).</item>
/// <item><c>GET {PathPrefix}/wp-json/wc/v3/orders</c>: <c>modified_after</c>/<c>modified_before</c> (and
/// <c>after</c>/<c>before</c> on the creation date) are exclusive like WordPress date queries, compared with the
/// <c>_gmt</c> dates when <c>dates_are_gmt=true</c> and with the site's local dates otherwise;
/// <c>orderby</c> date|id|include|title|slug|modified, <c>order</c> asc|desc (default date desc),
/// <c>per_page</c> 1–100 (default 10), <c>page</c>; <c>X-WP-Total</c> and <c>X-WP-TotalPages</c> headers.</item>
/// <item><c>GET {PathPrefix}/wp-json/wc/v3/products/reviews</c>: <c>after</c>/<c>before</c> compared with the
/// local <c>date_created</c> (the site's time zone, <see cref="SiteOffset"/>), <c>orderby</c>
/// date|date_gmt|id|include|product, same paging.</item>
/// </list>
/// <see cref="Mode"/> says which endpoint serves <see cref="MarketplaceFake.Items"/>; the other one is empty, except
/// for orders added with <see cref="AddOrder"/>, which are always served.
/// </summary>
public sealed class WooCommerceFake : MarketplaceFake
{
    /// <summary>The consumer key the shop accepts.</summary>
    public const string ConsumerKey = "ck_4b6a1f0e8d2c4e7a9b3f5d1c0e2a4b6c8d0e2f4a";

    /// <summary>The consumer secret the shop accepts.</summary>
    public const string ConsumerSecret = "cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";

    /// <summary>Which endpoint <see cref="MarketplaceFake.Items"/> are served on.</summary>
    public enum Resource
    {
        /// <summary>Items are orders (<c>/orders</c>).</summary>
        Orders,
        /// <summary>Items are product reviews (<c>/products/reviews</c>).</summary>
        Reviews,
    }

    private readonly object _gate = new();
    private readonly List<(SampleItem Item, Person Buyer)> _extraOrders = [];

    /// <summary>A shop whose items are <paramref name="mode"/>.</summary>
    public WooCommerceFake(Resource mode = Resource.Orders) => Mode = mode;

    /// <summary>Which endpoint serves the items.</summary>
    public Resource Mode { get; }

    /// <summary>Where WordPress is installed below the host, e.g. <c>/shop</c> (default: at the root).</summary>
    public string PathPrefix { get; set; } = "";

    /// <summary>The site's time zone (WordPress "Timezone" setting): the local, non-<c>_gmt</c> dates use it.</summary>
    public TimeSpan SiteOffset { get; set; } = TimeSpan.FromHours(-3);

    /// <summary>The WooCommerce order id of item <paramref name="number"/>.</summary>
    public static long OrderId(int number) => 1000 + number;

    /// <summary>The WooCommerce review id of item <paramref name="number"/>.</summary>
    public static long ReviewId(int number) => 5000 + number;

    /// <summary>
    /// Adds an order (served in both modes) placed by a given person, e.g. to meet the same buyer on another
    /// marketplace. It is a registered customer when <paramref name="customerId"/> is set, else a guest. Returns
    /// the item; its order id is <c>ExternalIdOf(item)</c>.
    /// </summary>
    public SampleItem AddOrder(string email, string firstName, string lastName, DateTimeOffset? modifiedAt = null,
        string? phone = null, string country = "US", long customerId = 0)
    {
        lock (_gate)
        {
            var number = 900_000 + _extraOrders.Count + 1;
            var modified = modifiedAt ?? Clock.GetUtcNow().AddHours(-1);
            modified = new DateTimeOffset(modified.UtcTicks - (modified.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var item = new SampleItem(number, modified.AddHours(-2), modified);
            _extraOrders.Add((item, new Person(firstName, lastName, email, phone ?? "", "Springfield", "12345", country, customerId)));
            return item;
        }
    }

    /// <summary>An order's billing or shipping address as documented: billing carries the email, shipping no phone.</summary>
    private static Dictionary<string, object?> Address(Person buyer, int n, bool billing)
    {
        var address = new Dictionary<string, object?>
        {
            ["first_name"] = buyer.FirstName,
            ["last_name"] = buyer.LastName,
            ["company"] = "",
            ["address_1"] = $"{100 + n % 900} Market",
            ["address_2"] = "",
            ["city"] = buyer.City,
            ["state"] = "CA",
            ["postcode"] = buyer.Postcode,
            ["country"] = buyer.Country,
        };
        if (billing)
            address["email"] = buyer.Email;
        address["phone"] = billing ? buyer.Phone : "";
        return address;
    }

    /// <inheritdoc />
    public override string ExternalIdOf(SampleItem item) =>
        (Mode == Resource.Reviews && item.Number < 900_000 ? ReviewId(item.Number) : OrderId(item.Number)).ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override bool IsPageRequest(FakeRequest request) =>
        request.Method == "GET" && (request.Path == Api("/orders") || request.Path == Api("/products/reviews"));

    /// <inheritdoc />
    public override FakeResponse Handle(FakeRequest request)
    {
        if (!request.Path.StartsWith(Api(""), StringComparison.Ordinal))
            return Error(404, "rest_no_route", "No route was found matching the URL and request method.");
        var basic = request.Basic();
        if (basic is null)
            return Error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
        if (RejectCredentials || basic.Value.User != ConsumerKey)
            return Error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
        if (basic.Value.Password != ConsumerSecret)
            return Error(401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.");
        if (request.Method != "GET")
            return Error(404, "rest_no_route", "No route was found matching the URL and request method.");
        if (request.Path == Api("/orders"))
            return ListOrders(request);
        if (request.Path == Api("/products/reviews"))
            return ListReviews(request);
        if (request.Path == Api("/system_status"))
            return FakeResponse.Json(new Dictionary<string, object?> { ["environment"] = new Dictionary<string, object?> { ["version"] = "9.8.5" } });
        return Error(404, "rest_no_route", "No route was found matching the URL and request method.");
    }

    // ---- orders ----------------------------------------------------------------------------------------

    private FakeResponse ListOrders(FakeRequest request)
    {
        if (ReadPaging(request) is not { } paging)
            return InvalidParam("per_page");
        var orderBy = request.Q("orderby") ?? "date";
        if (orderBy is not ("date" or "id" or "include" or "title" or "slug" or "modified"))
            return InvalidParam("orderby");
        var gmt = string.Equals(request.Q("dates_are_gmt"), "true", StringComparison.OrdinalIgnoreCase) || request.Q("dates_are_gmt") == "1";
        if (!TryDate(request, "modified_after", gmt, out var modifiedAfter) || !TryDate(request, "modified_before", gmt, out var modifiedBefore)
            || !TryDate(request, "after", gmt, out var after) || !TryDate(request, "before", gmt, out var before))
            return InvalidParam("modified_after, modified_before, after, before");

        List<(SampleItem Item, Person Buyer)> all;
        lock (_gate)
            all = [.. (Mode == Resource.Orders ? Items : []).Select(i => (i, PersonOf(i.Number))), .. _extraOrders];
        var selected = all
            .Where(o => (modifiedAfter is null || o.Item.UpdatedAt > modifiedAfter) && (modifiedBefore is null || o.Item.UpdatedAt < modifiedBefore)
                     && (after is null || o.Item.CreatedAt > after) && (before is null || o.Item.CreatedAt < before));
        Func<(SampleItem Item, Person Buyer), long> id = o => OrderId(o.Item.Number);
        var sorted = orderBy switch
        {
            "modified" => Order(selected, request, o => o.Item.UpdatedAt, id),
            "id" or "include" or "title" or "slug" => Order(selected, request, id, id),
            _ => Order(selected, request, o => o.Item.CreatedAt, id),
        };
        return Page(sorted.Select(o => RenderOrder(o.Item, o.Buyer)).ToList(), paging);
    }

    private Dictionary<string, object?> RenderOrder(SampleItem item, Person buyer)
    {
        var n = item.Number;
        var id = OrderId(n);
        string[] statuses = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash", "checkout-draft"];
        var lines = Enumerable.Range(0, 1 + (n % 3)).Select(k =>
        {
            var productId = 90 + ((n + k) % 20);
            var quantity = 1 + ((n + k) % 4);
            var price = 3.5m + ((n * 7 + k * 3) % 40) + ((n % 4) * 0.25m);
            return new Dictionary<string, object?>
            {
                ["id"] = id * 10 + k,
                ["name"] = $"Woo Single #{productId}",
                ["product_id"] = productId,
                ["variation_id"] = k == 2 ? productId * 10 : 0,
                ["quantity"] = quantity,
                ["tax_class"] = "",
                ["subtotal"] = Money(price * quantity),
                ["subtotal_tax"] = "0.00",
                ["total"] = Money(price * quantity),
                ["total_tax"] = "0.00",
                ["taxes"] = Array.Empty<object>(),
                ["meta_data"] = Array.Empty<object>(),
                ["sku"] = productId % 3 == 0 ? "" : $"WOO-{productId}",
                ["price"] = price, // a JSON number, as documented
            };
        }).ToList();
        var shippingTotal = n % 2 == 0 ? 10m : 0m;
        var total = lines.Sum(l => decimal.Parse((string)l["total"]!, CultureInfo.InvariantCulture)) + shippingTotal;
        return new Dictionary<string, object?>
        {
            ["id"] = id,
            ["parent_id"] = 0,
            ["number"] = id.ToString(CultureInfo.InvariantCulture),
            ["order_key"] = $"wc_order_{id:x10}",
            ["created_via"] = "checkout",
            ["version"] = "9.8.5",
            ["status"] = statuses[n % statuses.Length],
            ["currency"] = n % 5 == 0 ? "EUR" : "USD",
            ["date_created"] = Local(item.CreatedAt),
            ["date_created_gmt"] = Gmt(item.CreatedAt),
            ["date_modified"] = Local(item.UpdatedAt),
            ["date_modified_gmt"] = Gmt(item.UpdatedAt),
            ["discount_total"] = "0.00",
            ["discount_tax"] = "0.00",
            ["shipping_total"] = Money(shippingTotal),
            ["shipping_tax"] = "0.00",
            ["cart_tax"] = "0.00",
            ["total"] = Money(total),
            ["total_tax"] = "0.00",
            ["prices_include_tax"] = false,
            ["customer_id"] = buyer.CustomerId,
            ["customer_ip_address"] = "",
            ["customer_user_agent"] = "",
            ["customer_note"] = "",
            ["billing"] = Address(buyer, n, billing: true),
            ["shipping"] = Address(buyer, n, billing: false),
            ["payment_method"] = "bacs",
            ["payment_method_title"] = "Direct Bank Transfer",
            ["transaction_id"] = "",
            ["date_paid"] = n % 9 == 1 || n % 9 == 3 ? Local(item.CreatedAt) : null,
            ["date_paid_gmt"] = n % 9 == 1 || n % 9 == 3 ? Gmt(item.CreatedAt) : null,
            ["date_completed"] = n % 9 == 3 ? Local(item.UpdatedAt) : null,
            ["date_completed_gmt"] = n % 9 == 3 ? Gmt(item.UpdatedAt) : null,
            ["cart_hash"] = "",
            ["meta_data"] = Array.Empty<object>(),
            ["line_items"] = lines,
            ["tax_lines"] = Array.Empty<object>(),
            ["shipping_lines"] = Array.Empty<object>(),
            ["fee_lines"] = Array.Empty<object>(),
            ["coupon_lines"] = Array.Empty<object>(),
            ["refunds"] = Array.Empty<object>(),
        };
    }

    /// <summary>The buyer of generated order <paramref name="number"/>: every fourth order is a guest checkout.</summary>
    private static Person PersonOf(int number)
    {
        string[] first = ["John", "Maria", "Wei", "Aisha", "Lucas", "Sofia", "Kenji"];
        string[] last = ["Doe", "Silva", "Chen", "Khan", "Martin", "Rossi", "Sato"];
        string[] cities = ["San Francisco", "Austin", "Toronto", "London", "Berlin"];
        string[] countries = ["US", "US", "CA", "GB", "DE"];
        var p = number % 35;
        return new Person(first[p % first.Length], last[p / first.Length % last.Length], $"buyer{p}@example.com",
            $"(555) 555-{p:0000}", cities[p % cities.Length], $"{94000 + p}", countries[p % countries.Length],
            number % 4 == 0 ? 0 : 100 + p);
    }

    // ---- reviews ---------------------------------------------------------------------------------------

    private FakeResponse ListReviews(FakeRequest request)
    {
        if (ReadPaging(request) is not { } paging)
            return InvalidParam("per_page");
        var orderBy = request.Q("orderby") ?? "date";
        if (orderBy is not ("date" or "date_gmt" or "id" or "include" or "product"))
            return InvalidParam("orderby");
        // WordPress comment date queries use the local comment_date column.
        if (!TryDate(request, "after", gmt: false, out var after) || !TryDate(request, "before", gmt: false, out var before))
            return InvalidParam("after, before");
        var selected = (Mode == Resource.Reviews ? Items : [])
            .Where(i => (after is null || i.UpdatedAt > after) && (before is null || i.UpdatedAt < before));
        Func<SampleItem, long> id = i => ReviewId(i.Number);
        var sorted = orderBy switch
        {
            "date" or "date_gmt" => Order(selected, request, i => i.UpdatedAt, id),
            "product" => Order(selected, request, i => 90 + (i.Number % 20), id),
            _ => Order(selected, request, id, id),
        };
        return Page(sorted.Select(RenderReview).ToList(), paging);
    }

    /// <summary>A review; WooCommerce reviews only have a creation date, so it is the item's change time.</summary>
    private Dictionary<string, object?> RenderReview(SampleItem item)
    {
        var n = item.Number;
        var person = PersonOf(n);
        var productId = 90 + (n % 20);
        return new Dictionary<string, object?>
        {
            ["id"] = ReviewId(n),
            ["date_created"] = Local(item.UpdatedAt),
            ["date_created_gmt"] = Gmt(item.UpdatedAt),
            ["product_id"] = productId,
            ["product_name"] = $"Woo Single #{productId}",
            ["product_permalink"] = $"https://example.com/product/woo-single-{productId}/",
            ["status"] = "approved",
            ["reviewer"] = $"{person.FirstName} {person.LastName}",
            ["reviewer_email"] = person.Email,
            ["review"] = $"<p>Review #{n}: nice &amp; solid.</p>\n",
            ["rating"] = 1 + (n % 5),
            ["verified"] = n % 2 == 0,
            ["reviewer_avatar_urls"] = new Dictionary<string, object?>
            {
                ["24"] = "https://secure.gravatar.com/avatar/?s=24&d=mm&r=g",
                ["48"] = "https://secure.gravatar.com/avatar/?s=48&d=mm&r=g",
                ["96"] = "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g",
            },
        };
    }

    // ---- common ----------------------------------------------------------------------------------------

    private string Api(string path) => $"{PathPrefix.TrimEnd('/')}/wp-json/wc/v3{path}";

    private sealed record Person(string FirstName, string LastName, string Email, string Phone, string City, string Postcode, string Country, long CustomerId);

    private sealed record Paging(int PerPage, int Page);

    private static Paging? ReadPaging(FakeRequest request)
    {
        var perPage = request.Q("per_page") is { } pp ? int.TryParse(pp, out var v) ? v : -1 : 10;
        var page = request.Q("page") is { } p ? int.TryParse(p, out var w) ? w : -1 : 1;
        return perPage is >= 1 and <= 100 && page >= 1 ? new Paging(perPage, page) : null;
    }

    private static IEnumerable<T> Order<T, TKey>(IEnumerable<T> items, FakeRequest request, Func<T, TKey> key, Func<T, long> id)
    {
        var desc = !string.Equals(request.Q("order"), "asc", StringComparison.OrdinalIgnoreCase);
        return desc ? items.OrderByDescending(key).ThenByDescending(id) : items.OrderBy(key).ThenBy(id);
    }

    private static FakeResponse Page(List<Dictionary<string, object?>> all, Paging paging)
    {
        var pages = (all.Count + paging.PerPage - 1) / paging.PerPage;
        var slice = all.Skip((paging.Page - 1) * paging.PerPage).Take(paging.PerPage).ToList();
        return FakeResponse.Json(slice, headers: new Dictionary<string, string>
        {
            ["X-WP-Total"] = all.Count.ToString(CultureInfo.InvariantCulture),
            ["X-WP-TotalPages"] = pages.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>An ISO 8601 date parameter: with an offset it means that instant; without one, GMT or site-local.</summary>
    private bool TryDate(FakeRequest request, string name, bool gmt, out DateTimeOffset? value)
    {
        value = null;
        if (request.Q(name) is not { Length: > 0 } text)
            return true;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            return false;
        value = time.Kind switch
        {
            DateTimeKind.Utc => new DateTimeOffset(time),
            DateTimeKind.Local => new DateTimeOffset(time.ToUniversalTime()),
            _ => gmt ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time, SiteOffset).ToUniversalTime(),
        };
        return true;
    }

    private static string Gmt(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private string Local(DateTimeOffset time) => time.ToOffset(SiteOffset).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static FakeResponse InvalidParam(string names) =>
        FakeResponse.Json(new Dictionary<string, object?>
        {
            ["code"] = "rest_invalid_param",
            ["message"] = $"Invalid parameter(s): {names}",
            ["data"] = new Dictionary<string, object?> { ["status"] = 400 },
        }, 400);

    private static FakeResponse Error(int status, string code, string message) =>
        FakeResponse.Json(new Dictionary<string, object?>
        {
            ["code"] = code,
            ["message"] = message,
            ["data"] = new Dictionary<string, object?> { ["status"] = status },
        }, status);
}
