using System.Text;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.WooCommerce.Tests;

public sealed class WooCommerceConnectorTests
{
    // The "Retrieve an order" example of https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-an-order
    // (trimmed: taxes, meta_data and _links left out), a guest checkout.
    private const string DocumentedOrder = """
        [{
          "id": 727, "parent_id": 0, "number": "727", "order_key": "wc_order_58d2d042d1d", "created_via": "rest-api",
          "version": "3.0.0", "status": "processing", "currency": "USD",
          "date_created": "2017-03-22T16:28:02", "date_created_gmt": "2017-03-22T19:28:02",
          "date_modified": "2017-03-22T16:28:08", "date_modified_gmt": "2017-03-22T19:28:08",
          "discount_total": "0.00", "discount_tax": "0.00", "shipping_total": "10.00", "shipping_tax": "0.00",
          "cart_tax": "1.35", "total": "29.35", "total_tax": "1.35", "prices_include_tax": false, "customer_id": 0,
          "customer_ip_address": "", "customer_user_agent": "", "customer_note": "",
          "billing": { "first_name": "John", "last_name": "Doe", "company": "", "address_1": "969 Market", "address_2": "",
                       "city": "San Francisco", "state": "CA", "postcode": "94103", "country": "US",
                       "email": "john.doe@example.com", "phone": "(555) 555-5555" },
          "shipping": { "first_name": "John", "last_name": "Doe", "company": "", "address_1": "969 Market", "address_2": "",
                        "city": "San Francisco", "state": "CA", "postcode": "94103", "country": "US" },
          "payment_method": "bacs", "payment_method_title": "Direct Bank Transfer", "transaction_id": "",
          "date_paid": "2017-03-22T16:28:08", "date_paid_gmt": "2017-03-22T19:28:08", "date_completed": null, "date_completed_gmt": null,
          "cart_hash": "",
          "line_items": [
            { "id": 315, "name": "Woo Single #1", "product_id": 93, "variation_id": 0, "quantity": 2, "tax_class": "",
              "subtotal": "6.00", "subtotal_tax": "0.45", "total": "6.00", "total_tax": "0.45", "sku": "", "price": 3 },
            { "id": 316, "name": "Ship Your Idea &ndash; Color: Black, Size: M Test", "product_id": 22, "variation_id": 23,
              "quantity": 1, "tax_class": "", "subtotal": "12.00", "subtotal_tax": "0.90", "total": "12.00", "total_tax": "0.90",
              "sku": "", "price": 12 }
          ],
          "tax_lines": [], "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": []
        }]
        """;

    // The "Retrieve a product review" example of https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-product-review.
    private const string DocumentedReview = """
        [{ "id": 22, "date_created": "2018-10-18T17:59:17", "date_created_gmt": "2018-10-18T20:59:17", "product_id": 22,
           "product_name": "Ship Your Idea", "product_permalink": "https://example.com/product/ship-your-idea/",
           "status": "approved", "reviewer": "John Doe", "reviewer_email": "john.doe@example.com",
           "review": "<p>Nice album!</p>\n", "rating": 5, "verified": false }]
        """;

    [Theory]
    [InlineData("pending", OrderStatus.Pending)]
    [InlineData("on-hold", OrderStatus.Pending)]
    [InlineData("failed", OrderStatus.Pending)]
    [InlineData("checkout-draft", OrderStatus.Pending)]
    [InlineData("processing", OrderStatus.Paid)]
    [InlineData("completed", OrderStatus.Completed)]
    [InlineData("cancelled", OrderStatus.Cancelled)]
    [InlineData("trash", OrderStatus.Cancelled)]
    [InlineData("refunded", OrderStatus.Refunded)]
    [InlineData("some-custom-status", OrderStatus.Pending)]
    public void Order_statuses_map_to_the_normalized_ones(string status, OrderStatus expected) =>
        Assert.Equal(expected, Map.Status(status));

    [Fact]
    public async Task Documented_order_maps_money_times_lines_and_the_guest_buyer()
    {
        using var shop = new TestShop(new FixedPayloadFake(DocumentedOrder));
        var order = Assert.IsType<OrderRecord>(Assert.Single((await TestShop.ReadAsync(shop.Connect(), StreamName.Orders, window: new(new(2017, 1, 1, 0, 0, 0, TimeSpan.Zero), TestShop.Now))).SelectMany(p => p.Records)));

        Assert.Equal("727", order.ExternalId);
        Assert.Equal(29.35m, order.Total);
        Assert.Equal("USD", order.Currency);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(new DateTimeOffset(2017, 3, 22, 19, 28, 2, TimeSpan.Zero), order.CreatedAt);
        Assert.Equal(new DateTimeOffset(2017, 3, 22, 19, 28, 8, TimeSpan.Zero), order.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, order.UpdatedAt.Offset);
        Assert.Equal([new OrderLine("93", "Woo Single #1", 2, 3m), new OrderLine("23", "Ship Your Idea &ndash; Color: Black, Size: M Test", 1, 12m)], order.Lines);
        Assert.Equal("guest:john.doe@example.com", order.Buyer.BuyerId);
        Assert.Equal("John Doe", order.Buyer.Name);
        Assert.Equal("john.doe@example.com", order.Buyer.Email);
        Assert.Equal("(555) 555-5555", order.Buyer.Phone);
        Assert.Equal("US", order.Buyer.Country);
        Assert.Equal("San Francisco", order.Buyer.City);
        Assert.Equal("94103", order.Buyer.PostalCode);
        Assert.Equal("San Francisco", order.ShippingCity);
        Assert.Contains("\"order_key\": \"wc_order_58d2d042d1d\"", order.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documented_review_maps_to_plain_text_with_the_reviewer()
    {
        using var shop = new TestShop(new FixedPayloadFake(DocumentedReview));
        var review = Assert.IsType<ReviewRecord>(Assert.Single((await TestShop.ReadAsync(shop.Connect(), StreamName.Reviews, window: new(new(2018, 1, 1, 0, 0, 0, TimeSpan.Zero), TestShop.Now))).SelectMany(p => p.Records)));

        Assert.Equal("22", review.ExternalId);
        Assert.Equal("Nice album!", review.Text);
        Assert.Equal(5, review.Rating);
        Assert.Equal("22", review.Sku);
        Assert.Equal(new DateTimeOffset(2018, 10, 18, 20, 59, 17, TimeSpan.Zero), review.CreatedAt);
        Assert.Equal(review.CreatedAt, review.ChangedAt);
        Assert.Equal("guest:john.doe@example.com", review.Buyer?.BuyerId);
        Assert.Equal("John Doe", review.Buyer?.Name);
    }

    [Fact]
    public void Money_strings_and_numbers_are_exact_decimals()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""["1234.56", 0.1, "", "0.30"]""");
        var values = doc.RootElement.EnumerateArray().Select(e => Map.Money(e, "total")).ToList();
        Assert.Equal([1234.56m, 0.1m, 0m, 0.30m], values);
    }

    [Fact]
    public void Gmt_dates_without_offset_are_utc()
    {
        var time = Map.Gmt("2017-03-22T19:28:08", "date_modified_gmt");
        Assert.Equal(new DateTimeOffset(2017, 3, 22, 19, 28, 8, TimeSpan.Zero), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
        Assert.Throws<FormatException>(() => Map.Gmt(null, "date_modified_gmt"));
    }

    [Fact]
    public async Task Registered_customers_are_their_customer_id_and_guests_their_billing_email()
    {
        var fake = new WooCommerceFake();
        using var shop = new TestShop(fake);
        var guest = fake.AddOrder("Ana.Lima@Example.com", "Ana", "Lima", TestShop.Now.AddHours(-3), phone: "+55 11 91234-5678", country: "BR");
        var member = fake.AddOrder("bo@example.com", "Bo", "Berg", TestShop.Now.AddHours(-2), customerId: 42);

        var orders = (await TestShop.ReadAsync(shop.Connect(), StreamName.Orders)).SelectMany(p => p.Records).Cast<OrderRecord>().ToDictionary(o => o.ExternalId);

        var a = orders[fake.ExternalIdOf(guest)].Buyer;
        Assert.Equal("guest:ana.lima@example.com", a.BuyerId);
        Assert.Equal(("Ana Lima", "Ana.Lima@Example.com", "+55 11 91234-5678", "BR"), (a.Name, a.Email, a.Phone, a.Country));
        Assert.Equal("42", orders[fake.ExternalIdOf(member)].Buyer.BuyerId);
    }

    [Fact]
    public async Task Requests_carry_basic_auth_and_the_documented_query()
    {
        var fake = new WooCommerceFake();
        using var shop = new TestShop(fake);
        fake.AddOrder("a@example.com", "A", "B");
        await TestShop.ReadAsync(shop.Connect(), StreamName.Orders);

        var request = Assert.Single(shop.Server.Requests);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{WooCommerceFake.ConsumerKey}:{WooCommerceFake.ConsumerSecret}"));
        Assert.Equal(expected, request.Header("Authorization"));
        Assert.Equal("/wp-json/wc/v3/orders", request.Path);
        Assert.Equal("true", request.Q("dates_are_gmt"));
        Assert.Equal("modified", request.Q("orderby"));
        Assert.Equal("asc", request.Q("order"));
        Assert.Equal("100", request.Q("per_page"));
        Assert.Equal("1", request.Q("page"));
        Assert.Equal("2026-04-01T23:59:59", request.Q("modified_after"));
        Assert.Equal("2026-05-31T23:59:56", request.Q("modified_before"));
        Assert.DoesNotContain(WooCommerceFake.ConsumerSecret, request.RawQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/shop")]
    [InlineData("/shop/")]
    public async Task A_shop_under_a_sub_path_is_called_there(string suffix)
    {
        var fake = new WooCommerceFake { PathPrefix = "/shop" };
        using var shop = new TestShop(fake);
        fake.AddOrder("a@example.com", "A", "B");
        var connector = shop.Connect(shop.Server.Url + suffix);

        Assert.True((await connector.CheckAsync(CancellationToken.None)).Ok);
        var records = (await TestShop.ReadAsync(connector, StreamName.Orders)).SelectMany(p => p.Records);
        Assert.Single(records);
        Assert.All(shop.Server.Requests, r => Assert.StartsWith("/shop/wp-json/wc/v3/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_says_what_works_or_which_setting_to_fix()
    {
        var fake = new WooCommerceFake { PathPrefix = "/shop" };
        using var shop = new TestShop(fake);

        var ok = await shop.Connect(shop.Server.Url + "/shop").CheckAsync(CancellationToken.None);
        Assert.True(ok.Ok, ok.Message);
        Assert.Contains("can read", ok.Message, StringComparison.Ordinal);

        var wrongUrl = await shop.Connect(shop.Server.Url).CheckAsync(CancellationToken.None);
        Assert.False(wrongUrl.Ok);
        Assert.Contains("baseUrl", wrongUrl.Message, StringComparison.Ordinal);

        var wrongSecret = await shop.Connect(shop.Server.Url + "/shop", secret: "cs_wrong").CheckAsync(CancellationToken.None);
        Assert.False(wrongSecret.Ok);
        Assert.Contains("consumerKey", wrongSecret.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cs_wrong", wrongSecret.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WooCommerceFake.ConsumerKey, wrongSecret.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chats_are_not_supported()
    {
        using var shop = new TestShop(new WooCommerceFake());
        await Assert.ThrowsAsync<NotSupportedException>(() => TestShop.ReadAsync(shop.Connect(), StreamName.Chats));
        Assert.DoesNotContain("chats", new WooCommercePlugin().Manifest.Streams);
        Assert.Contains("chat", new WooCommercePlugin().Manifest.Notes, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Orders_modified_during_a_read_are_not_skipped()
    {
        // Page numbers over "modified asc" shift when an order of an earlier page is modified mid-read; the
        // connector re-queries from its last record instead, so nothing is skipped.
        var inner = new WooCommerceFake();
        var items = Enumerable.Range(1, 350).Select(n => new SampleItem(n, TestShop.Now.AddDays(-40), TestShop.Now.AddDays(-30).AddMinutes(n))).ToList();
        inner.Items = items;
        var fake = new MutatingFake(inner, afterPageRequests: 1, () =>
            inner.Items = [.. items.Select(i => i.Number is 3 or 7 ? i with { UpdatedAt = TestShop.Now.AddMinutes(-10 - i.Number) } : i)]);
        using var shop = new TestShop(fake);

        var ids = (await TestShop.ReadAsync(shop.Connect(), StreamName.Orders)).SelectMany(p => p.Records).Select(r => r.ExternalId).ToHashSet();

        Assert.All(items, i => Assert.Contains(inner.ExternalIdOf(i), ids));
    }

    [Fact]
    public async Task Reviews_are_filtered_by_their_gmt_date_whatever_the_site_time_zone()
    {
        var fake = new WooCommerceFake(WooCommerceFake.Resource.Reviews) { SiteOffset = TimeSpan.FromHours(10) };
        var window = new ReadWindow(TestShop.Now.AddDays(-1), TestShop.Now.AddHours(-1));
        fake.Items =
        [
            new(1, window.Since.AddMinutes(-1), window.Since.AddMinutes(-1)),   // before the window
            new(2, window.Since, window.Since.AddMinutes(1)),
            new(3, window.Since, window.Until.AddMinutes(-1)),
            new(4, window.Since, window.Until.AddMinutes(1)),                   // after the window
        ];
        using var shop = new TestShop(fake);

        var ids = (await TestShop.ReadAsync(shop.Connect(), StreamName.Reviews, window: window)).SelectMany(p => p.Records).Select(r => r.ExternalId);

        Assert.Equal(["5002", "5003"], ids);
    }

    /// <summary>Runs an action once after a number of page requests were answered.</summary>
    private sealed class MutatingFake(MarketplaceFake inner, int afterPageRequests, Action change) : MarketplaceFake
    {
        private int _pages;

        public override FakeResponse Handle(FakeRequest request)
        {
            var response = inner.Handle(request);
            if (IsPageRequest(request) && Interlocked.Increment(ref _pages) == afterPageRequests)
                change();
            return response;
        }

        public override string ExternalIdOf(SampleItem item) => inner.ExternalIdOf(item);

        public override bool IsPageRequest(FakeRequest request) => inner.IsPageRequest(request);
    }
}
