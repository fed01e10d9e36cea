using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Shopee.Tests;

/// <summary>A fake Shopee shop over HTTP, and connectors for it that read through the host's pipeline.</summary>
public sealed class ShopeeHarness : IDisposable
{
    public static readonly DateTimeOffset Start = ConnectorConformanceTests.Start;

    public ShopeeHarness(StreamName stream = StreamName.Orders, string pathPrefix = "")
    {
        Fake = new ShopeeFake { Stream = stream, PathPrefix = pathPrefix, Clock = Clock };
        Server = new FakeMarketplaceServer(Fake);
        BaseUrl = Server.Url + pathPrefix;
    }

    public ManualClock Clock { get; } = new(Start);
    public ShopeeFake Fake { get; }
    public FakeMarketplaceServer Server { get; }
    public string BaseUrl { get; }
    public ITokenStore Tokens { get; set; } = new InMemoryTokenStore();

    public IConnector Connect(JsonObject? settings = null)
    {
        var plugin = new ShopeePlugin();
        return plugin.Create(KitContext.Create(plugin, (settings ?? ShopeeTestSettings.Valid(BaseUrl)).ToJsonString(), Clock, Tokens));
    }

    public async Task<List<RecordPage>> ReadAsync(IConnector connector, StreamName stream, ReadWindow window, StreamCursor? cursor = null)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in connector.ReadAsync(stream, cursor, window, CancellationToken.None))
            pages.Add(page);
        return pages;
    }

    public static List<SampleItem> Items(int count, DateTimeOffset from, DateTimeOffset to, int seed = 3)
    {
        var random = new Random(seed);
        var span = (long)(to - from).TotalSeconds;
        return [.. Enumerable.Range(1, count).Select(n =>
        {
            var updated = from.AddSeconds(random.NextInt64(0, span + 1));
            return new SampleItem(n, updated.AddSeconds(-random.NextInt64(0, 3 * 86_400)), updated);
        })];
    }

    public void Dispose() => Server.Dispose();
}

public sealed class ShopeeSignatureTests
{
    [Fact]
    public void Sign_is_lower_case_hex_hmac_sha256_of_partner_path_timestamp_token_and_shop()
    {
        // Computed independently: printf '%s' '2001887/api/v2/order/get_order_list1780272000tok-abc600123456' | openssl dgst -sha256 -hmac 'key-xyz'
        const string expected = "25f78c6f939eb8dcd22451cd4c112be6022923fc957ee04139ffced3d2d2749d";
        Assert.Equal(expected, ShopeeFake.Sign("/api/v2/order/get_order_list", 1_780_272_000, "tok-abc", 600_123_456, "key-xyz", 2_001_887));
    }

    [Fact]
    public async Task Every_request_carries_the_common_parameters_and_a_correct_sign()
    {
        using var h = new ShopeeHarness();
        h.Fake.Items = ShopeeHarness.Items(120, ShopeeHarness.Start.AddDays(-20), ShopeeHarness.Start.AddDays(-1));
        h.Fake.ExpireAccessToken();   // a refresh too
        var pages = await h.ReadAsync(h.Connect(), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-30), ShopeeHarness.Start));
        Assert.Equal(120, pages.Sum(p => p.Records.Count));
        Assert.Equal(1, h.Fake.Refreshes);

        var timestamp = ShopeeHarness.Start.ToUnixTimeSeconds();
        foreach (var request in h.Server.Requests)
        {
            Assert.Equal(ShopeeFake.PartnerId.ToString(), request.Q("partner_id"));
            Assert.Equal(timestamp.ToString(), request.Q("timestamp"));
            var expected = request.Path == ShopeeFake.RefreshPath
                ? ShopeeFake.Sign(request.Path, timestamp)
                : ShopeeFake.Sign(request.Path, timestamp, request.Q("access_token"), long.Parse(request.Q("shop_id")!));
            Assert.Equal(expected, request.Q("sign"));
            if (request.Path != ShopeeFake.RefreshPath)
                Assert.Equal(ShopeeFake.ShopId.ToString(), request.Q("shop_id"));
        }
        Assert.Contains(h.Server.Requests, r => r.Path == ShopeeFake.RefreshPath && r.Method == "POST");
    }

    [Fact]
    public async Task A_wrong_partner_key_fails_naming_partnerKey_without_leaking_secrets()
    {
        using var h = new ShopeeHarness();
        h.Fake.Items = ShopeeHarness.Items(5, ShopeeHarness.Start.AddDays(-5), ShopeeHarness.Start.AddDays(-1));
        var settings = ShopeeTestSettings.Valid(h.BaseUrl);
        settings["partnerKey"] = "not-the-partner-key";

        var check = await h.Connect(settings).CheckAsync(CancellationToken.None);
        Assert.False(check.Ok);
        Assert.Contains("partnerKey", check.Message);

        var e = await Assert.ThrowsAsync<ConnectorAuthException>(() => h.ReadAsync(h.Connect(settings), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-10), ShopeeHarness.Start)));
        Assert.Equal("partnerKey", e.Credential);
        Assert.DoesNotContain("not-the-partner-key", e.Message);
        Assert.DoesNotContain(ShopeeFake.AccessToken, e.Message);
        Assert.Equal(0, h.Fake.Refreshes);
    }

    [Fact]
    public async Task Check_names_the_shop()
    {
        using var h = new ShopeeHarness();
        var check = await h.Connect().CheckAsync(CancellationToken.None);
        Assert.True(check.Ok, check.Message);
        Assert.Contains("Conformance Shop", check.Message);
    }
}

public sealed class ShopeeOrderWindowTests
{
    [Fact]
    public async Task A_60_day_backfill_is_walked_in_contiguous_windows_of_at_most_15_days_up_to_the_bound()
    {
        using var h = new ShopeeHarness();
        var since = ShopeeHarness.Start.AddDays(-60);
        var until = ShopeeHarness.Start.AddSeconds(-5);
        h.Fake.Items = ShopeeHarness.Items(300, since.AddMinutes(1), until.AddDays(-1));
        var pages = await h.ReadAsync(h.Connect(), StreamName.Orders, new(since, until));
        Assert.Equal(300, pages.SelectMany(p => p.Records).Select(r => r.ExternalId).Distinct().Count());

        var windows = h.Fake.OrderListCalls.Select(c => (c.From, c.To)).Distinct().ToList();
        Assert.True(windows.Count >= 4, $"{windows.Count} windows for 60 days");
        Assert.All(windows, w => Assert.InRange(w.To - w.From, 0, 15 * 86_400));
        Assert.Equal(since.ToUnixTimeSeconds(), windows[0].From);
        for (var i = 1; i < windows.Count; i++)
            Assert.Equal(windows[i - 1].To + 1, windows[i].From);
        Assert.Equal(until.ToUnixTimeSeconds(), windows[^1].To);
        Assert.All(h.Fake.OrderListCalls, c => Assert.InRange(c.PageSize, 1, 100));
    }

    [Fact]
    public async Task Order_details_are_fetched_in_batches_of_at_most_50()
    {
        using var h = new ShopeeHarness();
        h.Fake.Items = ShopeeHarness.Items(230, ShopeeHarness.Start.AddDays(-10), ShopeeHarness.Start.AddDays(-1));
        var pages = await h.ReadAsync(h.Connect(), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-12), ShopeeHarness.Start));
        Assert.Equal(230, pages.Sum(p => p.Records.Count));
        Assert.All(h.Fake.DetailBatches, b => Assert.InRange(b, 1, 50));
        Assert.Equal(230, h.Fake.DetailBatches.Sum());
        Assert.Contains(50, h.Fake.DetailBatches);
    }

    [Fact]
    public async Task The_fake_rejects_a_window_wider_than_15_days_as_Shopee_does()
    {
        using var h = new ShopeeHarness();
        var ts = ShopeeHarness.Start.ToUnixTimeSeconds();
        var query = $"time_range_field=update_time&time_from={ts - 16 * 86_400}&time_to={ts}&page_size=100&partner_id={ShopeeFake.PartnerId}&timestamp={ts}" +
                    $"&access_token={ShopeeFake.AccessToken}&shop_id={ShopeeFake.ShopId}&sign={ShopeeFake.Sign(ShopeeFake.OrderListPath, ts, ShopeeFake.AccessToken, ShopeeFake.ShopId)}";
        using var http = new HttpClient();
        var response = await http.GetAsync($"{h.Server.Url}{ShopeeFake.OrderListPath}?{query}");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("error_param", await response.Content.ReadAsStringAsync());
    }
}

public sealed class ShopeeTokenTests
{
    /// <summary>Records, for every saved value, how many requests the server had answered at that moment.</summary>
    private sealed class RecordingStore(FakeMarketplaceServer server) : ITokenStore
    {
        private readonly InMemoryTokenStore _inner = new();
        public List<(string Name, string Value, int RequestsBefore)> Saves { get; } = [];
        public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => _inner.GetAsync(name, cancellationToken);
        public Task SetAsync(string name, string value, CancellationToken cancellationToken)
        {
            Saves.Add((name, value, server.Requests.Count));
            return _inner.SetAsync(name, value, cancellationToken);
        }
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_once_the_rotated_tokens_are_saved_before_use_and_survive_a_restart()
    {
        using var h = new ShopeeHarness();
        var store = new RecordingStore(h.Server);
        h.Tokens = store;
        h.Fake.Items = ShopeeHarness.Items(40, ShopeeHarness.Start.AddDays(-5), ShopeeHarness.Start.AddDays(-1));
        h.Fake.ExpireAccessToken();

        var window = new ReadWindow(ShopeeHarness.Start.AddDays(-6), ShopeeHarness.Start);
        var first = await h.ReadAsync(h.Connect(), StreamName.Orders, window);
        Assert.Equal(40, first.Sum(p => p.Records.Count));
        Assert.Equal(1, h.Fake.Refreshes);
        var newAccess = h.Fake.CurrentAccessToken;
        var newRefresh = h.Fake.CurrentRefreshToken;
        Assert.Contains(store.Saves, s => s.Name == "accessToken" && s.Value == newAccess);
        Assert.Contains(store.Saves, s => s.Name == "refreshToken" && s.Value == newRefresh);

        // Saved before use: no request carried the new access token before both were saved.
        var savedAt = store.Saves.Where(s => s.Name is "accessToken" or "refreshToken").Max(s => s.RequestsBefore);
        var firstUse = h.Server.Requests.ToList().FindIndex(r => r.Q("access_token") == newAccess);
        Assert.True(firstUse >= savedAt, $"the new access token was used by request {firstUse} before it was saved (after {savedAt} requests)");

        // "Restart": a new connector with the settings' original tokens (which Shopee no longer accepts) and the same store.
        h.Server.ClearLog();
        var second = await h.ReadAsync(h.Connect(), StreamName.Orders, window);
        Assert.Equal(40, second.Sum(p => p.Records.Count));
        Assert.Equal(1, h.Fake.Refreshes);
        Assert.All(h.Server.Requests, r => Assert.Equal(newAccess, r.Q("access_token")));
    }

    [Fact]
    public async Task Tokens_the_merchant_puts_in_the_settings_after_re_authorizing_win_over_older_saved_ones()
    {
        using var h = new ShopeeHarness();
        h.Fake.Items = ShopeeHarness.Items(10, ShopeeHarness.Start.AddDays(-5), ShopeeHarness.Start.AddDays(-1));
        h.Fake.ExpireAccessToken();
        var window = new ReadWindow(ShopeeHarness.Start.AddDays(-6), ShopeeHarness.Start);
        await h.ReadAsync(h.Connect(), StreamName.Orders, window);   // saves rotated tokens (1)
        Assert.Equal(1, h.Fake.Refreshes);

        // The shop is re-authorized outside the connector: Shopee issues new tokens, the saved ones stop working.
        var ts = ShopeeHarness.Start.ToUnixTimeSeconds();
        using var http = new HttpClient();
        var body = new StringContent(JsonSerializer.Serialize(new { refresh_token = h.Fake.CurrentRefreshToken, partner_id = ShopeeFake.PartnerId, shop_id = ShopeeFake.ShopId }),
            System.Text.Encoding.UTF8, "application/json");
        var answer = await http.PostAsync($"{h.Server.Url}{ShopeeFake.RefreshPath}?partner_id={ShopeeFake.PartnerId}&timestamp={ts}&sign={ShopeeFake.Sign(ShopeeFake.RefreshPath, ts)}", body);
        Assert.True(answer.IsSuccessStatusCode);
        var settings = ShopeeTestSettings.Valid(h.BaseUrl);
        settings["accessToken"] = h.Fake.CurrentAccessToken;
        settings["refreshToken"] = h.Fake.CurrentRefreshToken;

        h.Server.ClearLog();
        var pages = await h.ReadAsync(h.Connect(settings), StreamName.Orders, window);
        Assert.Equal(10, pages.Sum(p => p.Records.Count));
        Assert.Equal(2, h.Fake.Refreshes);   // no refresh by the connector
        Assert.All(h.Server.Requests, r => Assert.Equal(h.Fake.CurrentAccessToken, r.Q("access_token")));
    }

    [Fact]
    public async Task A_refresh_token_Shopee_no_longer_accepts_fails_naming_refreshToken_without_secrets()
    {
        using var h = new ShopeeHarness();
        h.Fake.Items = ShopeeHarness.Items(5, ShopeeHarness.Start.AddDays(-5), ShopeeHarness.Start.AddDays(-1));
        h.Fake.ExpireAccessToken();
        var settings = ShopeeTestSettings.Valid(h.BaseUrl);
        settings["refreshToken"] = "an-old-rotated-refresh-token";

        var e = await Assert.ThrowsAsync<ConnectorAuthException>(() => h.ReadAsync(h.Connect(settings), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-6), ShopeeHarness.Start)));
        Assert.Equal("refreshToken", e.Credential);
        Assert.Contains("accessToken", e.Message);
        Assert.DoesNotContain("an-old-rotated-refresh-token", e.Message);
        Assert.DoesNotContain(ShopeeFake.AccessToken, e.Message);
        Assert.DoesNotContain(ShopeeFake.PartnerKey, e.Message);
        Assert.Equal(2, h.Server.Requests.Count);   // the rejected page and the refused refresh: no retry storm
    }

    [Fact]
    public async Task A_base_url_with_a_path_prefix_is_used_for_every_call_including_the_token_refresh()
    {
        using var h = new ShopeeHarness(pathPrefix: "/gateway/shopee");
        h.Fake.Items = ShopeeHarness.Items(60, ShopeeHarness.Start.AddDays(-5), ShopeeHarness.Start.AddDays(-1));
        h.Fake.ExpireAccessToken();
        Assert.True((await h.Connect().CheckAsync(CancellationToken.None)).Ok);
        var pages = await h.ReadAsync(h.Connect(), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-6), ShopeeHarness.Start));
        Assert.Equal(60, pages.Sum(p => p.Records.Count));
        Assert.Equal(1, h.Fake.Refreshes);
        Assert.All(h.Server.Requests, r => Assert.StartsWith("/gateway/shopee/api/v2/", r.Path));
        Assert.Contains(h.Server.Requests, r => r.Path == "/gateway/shopee" + ShopeeFake.RefreshPath);
    }
}

public sealed class ShopeeMappingTests
{
    public static TheoryData<string, OrderStatus> Statuses => new()
    {
        { "UNPAID", OrderStatus.Pending },
        { "READY_TO_SHIP", OrderStatus.Paid },
        { "PROCESSED", OrderStatus.Paid },
        { "SHIPPED", OrderStatus.Shipped },
        { "TO_CONFIRM_RECEIVE", OrderStatus.Delivered },
        { "COMPLETED", OrderStatus.Completed },
        { "IN_CANCEL", OrderStatus.Cancelled },
        { "CANCELLED", OrderStatus.Cancelled },
        { "TO_RETURN", OrderStatus.Returned },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Order_status_is_normalized(string shopeeStatus, OrderStatus expected)
    {
        using var h = new ShopeeHarness();
        var at = ShopeeHarness.Start.AddDays(-2);
        h.Fake.ExtraOrders.Add(new ShopeeExtraOrder("2605STATUS0001", at.AddHours(-1), at, 1, "u", "N", OrderStatus: shopeeStatus));
        var pages = await h.ReadAsync(h.Connect(), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-3), ShopeeHarness.Start));
        var order = Assert.IsType<OrderRecord>(Assert.Single(pages.SelectMany(p => p.Records)));
        Assert.Equal(expected, order.Status);
    }

    [Fact]
    public async Task An_order_with_an_unknown_status_is_skipped_and_reported_and_the_rest_is_read()
    {
        using var h = new ShopeeHarness();
        var at = ShopeeHarness.Start.AddDays(-2);
        h.Fake.ExtraOrders.Add(new ShopeeExtraOrder("2605UNKNOWN001", at.AddHours(-1), at, 1, "u", "N", OrderStatus: "SOMETHING_NEW"));
        h.Fake.Items = ShopeeHarness.Items(3, at.AddHours(-5), at);
        var pages = await h.ReadAsync(h.Connect(), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-3), ShopeeHarness.Start));
        Assert.Equal(3, pages.Sum(p => p.Records.Count));
        var problem = Assert.Single(pages.SelectMany(p => p.Problems));
        Assert.Contains("2605UNKNOWN001", problem);
        Assert.Contains("SOMETHING_NEW", problem);
    }

    [Fact]
    public async Task Money_times_lines_and_buyer_are_mapped_from_the_order_detail()
    {
        using var h = new ShopeeHarness();
        var created = new DateTimeOffset(2026, 5, 20, 8, 30, 15, TimeSpan.Zero);
        var updated = created.AddHours(30);
        h.Fake.ExtraOrders.Add(new ShopeeExtraOrder("2605EXTRA00001", created, updated, 77_001, "ana.lee", "Ana Lee",
            RecipientPhone: "6591112222", City: "Kuala Lumpur", Region: "MY", Zipcode: "50450", Currency: "MYR", Total: 1234.56m, OrderStatus: "SHIPPED"));
        h.Fake.Items = [new SampleItem(4, created, updated), new SampleItem(7, created, updated)];
        var pages = await h.ReadAsync(h.Connect(), StreamName.Orders, new(ShopeeHarness.Start.AddDays(-20), ShopeeHarness.Start));
        var orders = pages.SelectMany(p => p.Records).Cast<OrderRecord>().ToDictionary(o => o.ExternalId);

        var extra = orders["2605EXTRA00001"];
        Assert.Equal(1234.56m, extra.Total);
        Assert.Equal("MYR", extra.Currency);
        Assert.Equal(created, extra.CreatedAt);
        Assert.Equal(updated, extra.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, extra.UpdatedAt.Offset);
        Assert.Equal(OrderStatus.Shipped, extra.Status);
        Assert.Equal(new BuyerIdentity { BuyerId = "77001", Name = "Ana Lee", Phone = "6591112222", Country = "MY", City = "Kuala Lumpur", PostalCode = "50450" }, extra.Buyer);
        Assert.Equal("Kuala Lumpur", extra.ShippingCity);
        Assert.Equal("MY", extra.ShippingCountry);
        Assert.Equal(new OrderLine("EXTRA-1", "Extra product", 1, 1234.56m), Assert.Single(extra.Lines));

        foreach (var n in new[] { 4, 7 })
        {
            var order = orders[ShopeeFake.OrderSnOf(n)];
            using var raw = JsonDocument.Parse(order.RawJson);
            var items = raw.RootElement.GetProperty("item_list").EnumerateArray().ToList();
            Assert.Equal(items.Count, order.Lines.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var modelSku = items[i].GetProperty("model_sku").GetString();
                Assert.Equal(string.IsNullOrEmpty(modelSku) ? items[i].GetProperty("item_sku").GetString() : modelSku, order.Lines[i].Sku);
                Assert.Equal(items[i].GetProperty("model_discounted_price").GetDecimal(), order.Lines[i].UnitPrice);
                Assert.Equal(items[i].GetProperty("model_quantity_purchased").GetInt32(), order.Lines[i].Quantity);
            }
            Assert.Equal(raw.RootElement.GetProperty("total_amount").GetDecimal(), order.Total);
            Assert.Equal(raw.RootElement.GetProperty("currency").GetString(), order.Currency);
        }
        Assert.Equal("ITEM-100028", orders[ShopeeFake.OrderSnOf(4)].Lines[0].Sku);   // model_sku empty: item_sku
        Assert.Equal("SKU-100049-0", orders[ShopeeFake.OrderSnOf(7)].Lines[0].Sku);
    }

    [Fact]
    public async Task Reviews_carry_the_seller_reply_and_change_when_it_was_written()
    {
        using var h = new ShopeeHarness(StreamName.Reviews);
        var created = ShopeeHarness.Start.AddDays(-3);
        h.Fake.Items = [new SampleItem(3, created, created.AddHours(5)), new SampleItem(11, created, created)];
        var pages = await h.ReadAsync(h.Connect(), StreamName.Reviews, new(ShopeeHarness.Start.AddDays(-10), ShopeeHarness.Start));
        var reviews = pages.SelectMany(p => p.Records).Cast<ReviewRecord>().ToDictionary(r => r.ExternalId);
        var replied = reviews[ShopeeFake.CommentIdOf(3).ToString()];
        Assert.Equal("Thank you for review 3", replied.SellerReply);
        Assert.Equal(created, replied.CreatedAt);
        Assert.Equal(created.AddHours(5), replied.UpdatedAt);
        Assert.Equal(4, replied.Rating);
        Assert.Equal(ShopeeFake.OrderSnOf(3), replied.OrderExternalId);
        var anonymous = reviews[ShopeeFake.CommentIdOf(11).ToString()];
        Assert.Null(anonymous.Buyer);
        Assert.Null(anonymous.SellerReply);
    }

    [Fact]
    public async Task Chat_messages_are_inbound_from_the_buyer_and_outbound_from_the_shop()
    {
        using var h = new ShopeeHarness(StreamName.Chats);
        h.Fake.Items = ShopeeHarness.Items(12, ShopeeHarness.Start.AddDays(-4), ShopeeHarness.Start.AddDays(-1));
        var pages = await h.ReadAsync(h.Connect(), StreamName.Chats, new(ShopeeHarness.Start.AddDays(-10), ShopeeHarness.Start));
        var messages = pages.SelectMany(p => p.Records).Cast<ChatMessage>().ToList();
        Assert.Equal(12, messages.Count);
        foreach (var item in h.Fake.Items)
        {
            var message = messages.Single(m => m.ExternalId == ShopeeFake.MessageIdOf(item.Number));
            var conversation = ShopeeFake.ConversationOf(item.Number);
            Assert.Equal(ShopeeFake.IsInbound(item.Number) ? MessageDirection.Inbound : MessageDirection.Outbound, message.Direction);
            Assert.Equal(ShopeeFake.ChatBuyerIdOf(conversation).ToString(), message.Buyer.BuyerId);
            Assert.Equal(ShopeeFake.ConversationIdOf(conversation), message.ConversationId);
            Assert.Equal(ShopeeFake.MessageText(item.Number), message.Text);
            Assert.Equal(item.UpdatedAt, message.SentAt);
        }
        Assert.Contains(messages, m => m.Direction == MessageDirection.Outbound);
    }
}
