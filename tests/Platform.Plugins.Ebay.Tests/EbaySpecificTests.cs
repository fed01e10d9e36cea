using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Ebay.Tests;

/// <summary>eBay specifics the conformance kit does not cover: tokens, the 90-day history, mapping, baseUrl.</summary>
public sealed class EbaySpecificTests : IDisposable
{
    private static readonly DateTimeOffset Start = ConnectorConformanceTests.Start;
    private readonly ManualClock _clock = new(Start);
    private readonly InMemoryTokenStore _tokens = new();
    private readonly EbayFake _fake;
    private readonly FakeMarketplaceServer _server;

    public EbaySpecificTests()
    {
        _fake = new EbayFake { Clock = _clock };
        _server = new FakeMarketplaceServer(_fake);
    }

    public void Dispose() => _server.Dispose();

    private IConnector Connect(JsonObject? settings = null)
    {
        var plugin = new EbayPlugin();
        return plugin.Create(KitContext.Create(plugin, (settings ?? EbayStore.Settings(_server.Url)).ToJsonString(), _clock, _tokens));
    }

    private static async Task<List<SourceRecord>> ReadAll(IConnector connector, ReadWindow window, StreamName stream = StreamName.Orders)
    {
        var records = new List<SourceRecord>();
        await foreach (var page in connector.ReadAsync(stream, null, window, CancellationToken.None))
            records.AddRange(page.Records);
        return records;
    }

    private ReadWindow Window(int days = 30) => new(_clock.GetUtcNow().AddDays(-days), _clock.GetUtcNow().AddSeconds(-5));

    private int TokenCalls => _server.Requests.Count(r => r.Path.EndsWith("/identity/v1/oauth2/token", StringComparison.Ordinal));

    private static List<SampleItem> Items(int count, DateTimeOffset from, DateTimeOffset to) =>
        [.. Enumerable.Range(1, count).Select(n => new SampleItem(n, from.AddSeconds((to - from).TotalSeconds * n / (count + 1)).AddDays(-1), from.AddSeconds((long)((to - from).TotalSeconds * n / (count + 1)))))];

    [Fact]
    public async Task Access_token_is_cached_across_calls_and_renewed_before_expiry()
    {
        _fake.Items = Items(20, Start.AddDays(-20), Start.AddDays(-1));
        var connector = Connect();
        Assert.Equal(20, (await ReadAll(connector, Window())).Count);
        Assert.Equal(20, (await ReadAll(connector, Window())).Count);
        Assert.True((await connector.CheckAsync(CancellationToken.None)).Ok);
        Assert.Equal(1, _fake.TokensIssued);
        Assert.Equal(1, TokenCalls);

        _clock.Now = Start + TimeSpan.FromHours(2) - TimeSpan.FromMinutes(4); // inside the renewal margin
        Assert.Equal(20, (await ReadAll(connector, Window())).Count);
        Assert.Equal(2, _fake.TokensIssued);
    }

    [Fact]
    public async Task Token_survives_a_new_connector_through_the_token_store_without_secrets_in_it()
    {
        _fake.Items = Items(5, Start.AddDays(-10), Start.AddDays(-1));
        await ReadAll(Connect(), Window());
        await ReadAll(Connect(), Window());
        Assert.Equal(1, _fake.TokensIssued);
        var stored = Assert.Single(_tokens.Values).Value;
        Assert.DoesNotContain(EbayFake.RefreshToken, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(EbayFake.ClientSecret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_retries()
    {
        _fake.Items = Items(5, Start.AddDays(-10), Start.AddDays(-1));
        var connector = Connect();
        await ReadAll(connector, Window());
        _fake.RevokeAccessTokens();
        Assert.Equal(5, (await ReadAll(connector, Window())).Count);
        Assert.Equal(2, _fake.TokensIssued);
    }

    [Fact]
    public async Task Wrong_client_secret_names_clientSecret()
    {
        var settings = EbayStore.Settings(_server.Url);
        settings["clientSecret"] = "wrong";
        var check = await Connect(settings).CheckAsync(CancellationToken.None);
        Assert.False(check.Ok);
        Assert.Contains("clientSecret", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", check.Message, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<ConnectorAuthException>(() => ReadAll(Connect(settings), Window()));
        Assert.Equal("clientSecret", e.Credential);
    }

    [Fact]
    public async Task Backfill_older_than_90_days_starts_90_days_back()
    {
        _fake.Items = Items(100, Start.AddDays(-120), Start.AddDays(-1));
        var records = await ReadAll(Connect(), Window(days: 150));
        var expected = _fake.Items.Where(i => i.UpdatedAt >= Start.AddDays(-90).AddMinutes(1)).Select(_fake.ExternalIdOf).ToHashSet();
        Assert.True(expected.Count is > 50 and < 100);
        Assert.Equal(expected, records.Select(r => r.ExternalId).ToHashSet());
        var filters = _server.Requests.Where(_fake.IsPageRequest).Select(r => r.Q("filter")!).ToList();
        Assert.All(filters, f => Assert.DoesNotContain("2026-02-", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Order_is_mapped_with_money_from_strings_buyer_and_shipping()
    {
        var item = new SampleItem(4, Start.AddDays(-3), Start.AddDays(-2)); // 4 % 6 = cancelled, 2 lines, USD
        _fake.AddOrder(item, "7c3e1f0a9b@members.ebay.com", "Jane Q. Buyer");
        var order = Assert.IsType<OrderRecord>(Assert.Single(await ReadAll(Connect(), Window())));
        Assert.Equal(EbayFake.OrderId(4), order.ExternalId);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal("USD", order.Currency);
        // line 1: 2 × 14.99 = 29.98; line 2: 4.50; delivery 3.99
        Assert.Equal(38.47m, order.Total);
        Assert.Equal([new OrderLine("SKU-004-1", "Vintage item 4 part 1", 2, 14.99m), new OrderLine("SKU-004-2", "Vintage item 4 part 2", 1, 4.5m)], order.Lines);
        Assert.Equal("7c3e1f0a9b@members.ebay.com", order.Buyer.Email);
        Assert.Equal("Jane Q. Buyer", order.Buyer.Name);
        Assert.Equal("buyer_x4", order.Buyer.BuyerId); // an added order has a buyer of its own
        Assert.Equal("US", order.Buyer.Country);
        Assert.Equal("Oakland", order.ShippingCity);
        Assert.Equal("US", order.ShippingCountry);
        Assert.Equal(item.UpdatedAt, order.UpdatedAt);
        Assert.Equal(item.CreatedAt, order.CreatedAt);
        Assert.Contains("\"orderId\"", order.RawJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CANCELED", "PAID", "NOT_STARTED", OrderStatus.Cancelled)]
    [InlineData("NONE_REQUESTED", "FULLY_REFUNDED", "FULFILLED", OrderStatus.Refunded)]
    [InlineData("NONE_REQUESTED", "PAID", "FULFILLED", OrderStatus.Shipped)]
    [InlineData("NONE_REQUESTED", "PAID", "NOT_STARTED", OrderStatus.Paid)]
    [InlineData("NONE_REQUESTED", "PAID", "IN_PROGRESS", OrderStatus.Paid)]
    [InlineData("NONE_REQUESTED", "PARTIALLY_REFUNDED", "NOT_STARTED", OrderStatus.Paid)]
    [InlineData("NONE_REQUESTED", "PENDING", "NOT_STARTED", OrderStatus.Pending)]
    [InlineData("NONE_REQUESTED", "FAILED", "NOT_STARTED", OrderStatus.Pending)]
    [InlineData(null, null, null, OrderStatus.Pending)]
    public void Statuses_are_mapped(string? cancel, string? payment, string? fulfillment, OrderStatus expected) =>
        Assert.Equal(expected, EbayMap.Status(cancel, payment, fulfillment));

    [Theory]
    [InlineData("POSITIVE", 5)]
    [InlineData("NEUTRAL", 3)]
    [InlineData("NEGATIVE", 1)]
    public void Ratings_are_mapped(string type, int stars) => Assert.Equal(stars, EbayMap.Rating(type));

    [Fact]
    public async Task BaseUrl_with_a_path_prefix_is_used_for_every_call_including_the_token()
    {
        _fake.PathPrefix = "/proxy/ebay";
        _fake.Items = Items(30, Start.AddDays(-20), Start.AddDays(-1));
        var connector = Connect(EbayStore.Settings(_server.Url + "/proxy/ebay/"));
        Assert.True((await connector.CheckAsync(CancellationToken.None)).Ok);
        Assert.Equal(30, (await ReadAll(connector, Window())).Count);
        Assert.Empty(_fake.UnprefixedRequests);
        Assert.Contains(_server.Requests, r => r.Path == "/proxy/ebay/identity/v1/oauth2/token");
        Assert.All(_server.Requests, r => Assert.StartsWith("/proxy/ebay/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reviews_and_chats_are_mapped()
    {
        _fake.Mode = EbayFakeMode.Reviews;
        _fake.Items = [new SampleItem(8, Start.AddDays(-3), Start.AddDays(-2)), new SampleItem(10, Start.AddDays(-3), Start.AddDays(-2).AddHours(1))];
        var reviews = (await ReadAll(Connect(), Window(), StreamName.Reviews)).Cast<ReviewRecord>().OrderBy(r => r.ExternalId).ToList();
        Assert.Equal([5, 1], reviews.Select(r => r.Rating));
        Assert.Equal("Thank you, buyer 8!", reviews[0].SellerReply);
        Assert.Equal(EbayFake.BuyerOf(8), reviews[0].Buyer!.BuyerId);

        _fake.Mode = EbayFakeMode.Chats;
        _fake.Items = [new SampleItem(3, Start.AddDays(-3), Start.AddDays(-2)), new SampleItem(33, Start.AddDays(-3), Start.AddDays(-2).AddHours(1)), new SampleItem(34, Start.AddDays(-3), Start.AddDays(-2))];
        var messages = (await ReadAll(Connect(), Window(), StreamName.Chats)).Cast<ChatMessage>().OrderBy(m => m.ExternalId).ToList();
        Assert.Equal([MessageDirection.Outbound, MessageDirection.Outbound, MessageDirection.Inbound], messages.Select(m => m.Direction));
        Assert.Equal(EbayFake.ConversationOf(3), messages[0].ConversationId);
        Assert.Equal(EbayFake.BuyerOf(3), messages[0].Buyer.BuyerId);
        Assert.Equal(EbayFake.BuyerOf(4), messages[2].Buyer.BuyerId);
    }

    [Fact]
    public async Task Reviews_without_sellerUsername_say_which_setting_to_add()
    {
        _fake.Mode = EbayFakeMode.Reviews;
        var settings = EbayStore.Settings(_server.Url);
        settings.Remove("sellerUsername");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAll(Connect(settings), Window(), StreamName.Reviews));
        Assert.Contains("sellerUsername", e.Message, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData(EbayFakeMode.Orders, StreamName.Orders)]
    [InlineData(EbayFakeMode.Chats, StreamName.Chats)]
    [InlineData(EbayFakeMode.Reviews, StreamName.Reviews)]
    public async Task A_read_resumed_from_a_mid_read_checkpoint_with_a_later_bound_has_no_gap(EbayFakeMode mode, StreamName stream)
    {
        _fake.Mode = mode;
        var old = Items(600, Start.AddDays(-7), Start.AddDays(-2)); // several pages within one order range
        _fake.Items = old;
        var firstWindow = Window(days: 45);
        var pages = new List<RecordPage>();
        await foreach (var page in Connect().ReadAsync(stream, null, firstWindow, CancellationToken.None))
        {
            pages.Add(page);
            if (pages.Count(p => p.Records.Count > 0) == 1)
                break;
        }
        var seen = pages.SelectMany(p => p.Records).Select(r => r.ExternalId).ToHashSet();
        Assert.NotEmpty(seen);
        Assert.True(seen.Count < old.Count);
        if (stream == StreamName.Orders)
            Assert.DoesNotContain("\"rangeTo\":null", pages[^1].Checkpoint.Json, StringComparison.Ordinal);

        _clock.Now = Start.AddHours(6);
        var added = Enumerable.Range(601, 10).Select(n => new SampleItem(n, Start.AddHours(1), Start.AddHours(1).AddMinutes(n - 600))).ToList();
        _fake.Items = [.. old, .. added];
        var rest = new List<SourceRecord>();
        await foreach (var page in Connect().ReadAsync(stream, new StreamCursor(pages[^1].Checkpoint.Json), Window(days: 45), CancellationToken.None))
            rest.AddRange(page.Records);

        Assert.DoesNotContain(rest.GroupBy(r => r.ExternalId), g => g.Count() > 1);
        var all = seen.Concat(rest.Select(r => r.ExternalId)).ToHashSet();
        Assert.Equal(old.Concat(added).Select(_fake.ExternalIdOf).ToHashSet(), all);
    }
}
