using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.MercadoLibre.Tests;

/// <summary>Mercado Libre specifics beyond the kit: token rotation, statuses, times, money, base URL prefix.</summary>
public sealed class MercadoLibreConnectorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Now);
    private readonly MercadoLibreFake _fake;
    private readonly FakeMarketplaceServer _server;

    public MercadoLibreConnectorTests()
    {
        _fake = new MercadoLibreFake { Clock = _clock };
        _server = new FakeMarketplaceServer(_fake);
    }

    public void Dispose() => _server.Dispose();

    private IConnector Connect(ITokenStore tokens, JsonObject? settings = null)
    {
        var plugin = new MercadoLibrePlugin();
        return plugin.Create(KitContext.Create(plugin, (settings ?? Store.Settings(_server.Url)).ToJsonString(), _clock, tokens));
    }

    private static ReadWindow Window => new(Now.AddDays(-30), Now.AddSeconds(-5));

    private static async Task<List<SourceRecord>> ReadAll(IConnector connector, StreamName stream = StreamName.Orders, StreamCursor? cursor = null)
    {
        var records = new List<SourceRecord>();
        await foreach (var page in connector.ReadAsync(stream, cursor, Window, CancellationToken.None))
            records.AddRange(page.Records);
        return records;
    }

    private static SampleItem Item(int n, int daysAgo = 3) => new(n, Now.AddDays(-daysAgo).AddHours(-2), Now.AddDays(-daysAgo));

    /// <summary>A store that notes how many requests the server had seen when each name was saved.</summary>
    private sealed class RecordingStore(FakeMarketplaceServer server) : ITokenStore
    {
        private readonly InMemoryTokenStore _inner = new();
        public List<(string Name, int RequestsSeen)> Saves { get; } = [];
        public IReadOnlyDictionary<string, string> Values => _inner.Values;
        public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => _inner.GetAsync(name, cancellationToken);
        public Task SetAsync(string name, string value, CancellationToken cancellationToken)
        {
            Saves.Add((name, server.Requests.Count));
            return _inner.SetAsync(name, value, cancellationToken);
        }
    }

    [Fact]
    public async Task Rotated_refresh_token_is_saved_before_use_and_used_after_a_restart()
    {
        _fake.Items = [Item(1), Item(2)];
        var store = new RecordingStore(_server);
        Assert.Equal(2, (await ReadAll(Connect(store))).Count);

        // Saved right after the token call, before the first API call.
        var saved = store.Saves.First(s => s.Name.Contains("refresh_token", StringComparison.Ordinal) && !s.Name.Contains("origin", StringComparison.Ordinal));
        Assert.Equal(1, saved.RequestsSeen);
        Assert.EndsWith("/oauth/token", _server.Requests[0].Path, StringComparison.Ordinal);
        var rotated = store.Values.Values.Single(v => v.StartsWith("TG-", StringComparison.Ordinal) && v != MercadoLibreFake.InitialRefreshToken);

        // "After a restart": the access token has expired; the original refresh token is dead (used once).
        _clock.Now = Now.AddHours(7);
        _fake.ExpireAccessTokens();
        var records = await ReadAll(Connect(store));
        Assert.Equal(2, records.Count);
        Assert.Equal([MercadoLibreFake.InitialRefreshToken, rotated], _fake.PresentedRefreshTokens);
        Assert.Equal(2, _fake.Refreshes);
    }

    [Fact]
    public async Task Using_the_original_refresh_token_twice_is_rejected_naming_refreshToken()
    {
        _fake.Items = [Item(1)];
        await ReadAll(Connect(new InMemoryTokenStore()));
        // A store without the saved token (the mistake rotation punishes): the original token is spent.
        var e = await Assert.ThrowsAsync<ConnectorAuthException>(() => ReadAll(Connect(new InMemoryTokenStore())));
        Assert.Equal("refreshToken", e.Credential);
    }

    [Fact]
    public async Task A_401_refreshes_once_and_the_call_is_sent_again()
    {
        _fake.Items = [Item(1), Item(2), Item(3)];
        var connector = Connect(new InMemoryTokenStore());
        Assert.True((await connector.CheckAsync(CancellationToken.None)).Ok);
        _fake.ExpireAccessTokens();
        Assert.Equal(3, (await ReadAll(connector)).Count);
        Assert.Equal(2, _fake.Refreshes);
    }

    [Fact]
    public async Task A_wrong_client_secret_names_clientSecret()
    {
        var settings = Store.Settings(_server.Url);
        settings["clientSecret"] = "wrong";
        var check = await Connect(new InMemoryTokenStore(), settings).CheckAsync(CancellationToken.None);
        Assert.False(check.Ok);
        Assert.Contains("clientSecret", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", check.Message, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<ConnectorAuthException>(() => ReadAll(Connect(new InMemoryTokenStore(), settings)));
        Assert.Equal("clientSecret", e.Credential);
    }

    [Fact]
    public async Task Check_names_the_seller()
    {
        var check = await Connect(new InMemoryTokenStore()).CheckAsync(CancellationToken.None);
        Assert.True(check.Ok, check.Message);
        Assert.Contains(MercadoLibreFake.SellerNickname, check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Times_are_utc_and_money_is_exact()
    {
        var item = new SampleItem(7, new DateTimeOffset(2026, 5, 2, 13, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 20, 2, 30, 15, TimeSpan.Zero));
        _fake.Items = [item];
        var order = Assert.IsType<OrderRecord>(Assert.Single(await ReadAll(Connect(new InMemoryTokenStore()))));
        Assert.Contains("-03:00", order.RawJson, StringComparison.Ordinal); // the wire has the site's offset
        Assert.Equal(TimeSpan.Zero, order.CreatedAt.Offset);
        Assert.Equal(item.CreatedAt, order.CreatedAt);
        Assert.Equal(item.UpdatedAt, order.UpdatedAt);
        Assert.Equal("ARS", order.Currency);
        var line = Assert.Single(order.Lines);
        Assert.Equal(MercadoLibreFake.UnitPriceOf(7), line.UnitPrice);
        Assert.Equal(1007.99m, line.UnitPrice);
        Assert.Equal(MercadoLibreFake.QuantityOf(7), line.Quantity);
        Assert.Equal(1007.99m * 2, order.Total);
        Assert.Equal("SKU-0", line.Sku);
        Assert.Equal("AR", order.ShippingCountry);
    }

    [Fact]
    public async Task An_order_carries_its_buyer_as_given()
    {
        _fake.AddOrder(Item(500), new MercadoLibreFake.FakeBuyer(99_001, "MARIAGOMEZ", "María", "Gómez", "mgomez.8x2k1@mail.mercadolibre.com"));
        var order = Assert.IsType<OrderRecord>(Assert.Single(await ReadAll(Connect(new InMemoryTokenStore()))));
        Assert.Equal(MercadoLibreFake.OrderId(500).ToString(System.Globalization.CultureInfo.InvariantCulture), order.ExternalId);
        Assert.Equal("99001", order.Buyer.BuyerId);
        Assert.Equal("María Gómez", order.Buyer.Name);
        Assert.Equal("mgomez.8x2k1@mail.mercadolibre.com", order.Buyer.Email);
        Assert.Equal("AR", order.Buyer.Country);
    }

    [Fact]
    public async Task Statuses_from_the_wire_are_normalized()
    {
        _fake.Items = [.. Enumerable.Range(1, 20).Select(n => Item(n))];
        var orders = (await ReadAll(Connect(new InMemoryTokenStore()))).Cast<OrderRecord>().ToDictionary(o => o.ExternalId);
        foreach (var n in Enumerable.Range(1, 20))
        {
            var expected = Map.Status(MercadoLibreFake.StatusOf(n), MercadoLibreFake.DeliveredOf(n) ? ["paid", "delivered"] : ["paid"]);
            Assert.Equal(expected, orders[MercadoLibreFake.OrderId(n).ToString(System.Globalization.CultureInfo.InvariantCulture)].Status);
        }
        Assert.Contains(orders.Values, o => o.Status == OrderStatus.Delivered);
    }

    [Theory]
    [InlineData("paid", null, OrderStatus.Paid)]
    [InlineData("paid", "delivered", OrderStatus.Delivered)]
    [InlineData("paid", "shipped", OrderStatus.Shipped)]
    [InlineData("confirmed", null, OrderStatus.Pending)]
    [InlineData("payment_required", null, OrderStatus.Pending)]
    [InlineData("payment_in_process", null, OrderStatus.Pending)]
    [InlineData("partially_paid", null, OrderStatus.Pending)]
    [InlineData("cancelled", null, OrderStatus.Cancelled)]
    [InlineData("invalid", null, OrderStatus.Cancelled)]
    [InlineData("pending_cancel", null, OrderStatus.Cancelled)]
    [InlineData("partially_refunded", null, OrderStatus.Refunded)]
    [InlineData("refunded", null, OrderStatus.Refunded)]
    [InlineData("something_new", null, OrderStatus.Pending)]
    public void Status_mapping(string status, string? tag, OrderStatus expected) =>
        Assert.Equal(expected, Map.Status(status, tag is null ? [] : [tag]));

    [Fact]
    public async Task Base_url_path_prefix_is_used_for_every_call_including_the_token()
    {
        _fake.PathPrefix = "/proxy/meli";
        _fake.Items = [Item(1), Item(2)];
        var settings = Store.Settings(_server.Url + "/proxy/meli/");
        var connector = Connect(new InMemoryTokenStore(), settings);
        Assert.True((await connector.CheckAsync(CancellationToken.None)).Ok);
        Assert.Equal(2, (await ReadAll(connector)).Count);
        Assert.Contains(_server.Requests, r => r.Path == "/proxy/meli/oauth/token");
        Assert.All(_server.Requests, r => Assert.StartsWith("/proxy/meli/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Answered_questions_give_an_outbound_message()
    {
        _fake.Mode = MercadoLibreFake.FakeStream.Chats;
        _fake.AnswerAfter = TimeSpan.FromHours(1);
        _fake.Items = [Item(1)];
        var messages = (await ReadAll(Connect(new InMemoryTokenStore()), StreamName.Chats)).Cast<ChatMessage>().ToList();
        Assert.Equal(2, messages.Count);
        var question = messages.Single(m => m.Direction == MessageDirection.Inbound);
        var answer = messages.Single(m => m.Direction == MessageDirection.Outbound);
        Assert.Equal(question.ConversationId, answer.ConversationId);
        Assert.Equal(question.SentAt.AddHours(1), answer.SentAt);
        Assert.Equal(MercadoLibreFake.DefaultBuyer(1).Id.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Buyer.BuyerId);
    }

    private static async Task<List<RecordPage>> ReadPages(IConnector connector, StreamName stream, StreamCursor? cursor, ReadWindow window)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in connector.ReadAsync(stream, cursor, window, CancellationToken.None))
            pages.Add(page);
        return pages;
    }

    private static string Id(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Post_sale_messages_use_the_pack_id_or_else_the_order_id()
    {
        _fake.Mode = MercadoLibreFake.FakeStream.Chats;
        _fake.MessagesPerPack = 2;
        _fake.Items = [Item(2), Item(4), Item(6), Item(8)]; // group 0 (pack_id null), group 1 (pack_id set)
        var messages = (await ReadAll(Connect(new InMemoryTokenStore()), StreamName.Chats)).Cast<ChatMessage>().ToDictionary(m => m.ExternalId);

        Assert.Null(MercadoLibreFake.PackIdOf(0));
        Assert.NotNull(MercadoLibreFake.PackIdOf(1));
        var byOrderId = messages[MercadoLibreFake.MessageId(2)];
        Assert.Equal($"pack:{Id(MercadoLibreFake.ChatOrderId(0))}", byOrderId.ConversationId);
        Assert.Equal(Id(MercadoLibreFake.ChatOrderId(0)), byOrderId.OrderExternalId);
        var byPack = messages[MercadoLibreFake.MessageId(6)];
        Assert.Equal($"pack:{Id(MercadoLibreFake.PackIdOf(1)!.Value)}", byPack.ConversationId);
        Assert.Equal(Id(MercadoLibreFake.ChatOrderId(1)), byPack.OrderExternalId);
        Assert.Equal(byPack.ConversationId, messages[MercadoLibreFake.MessageId(8)].ConversationId);

        var packCalls = _server.Requests.Where(r => r.Path.StartsWith("/messages/packs/", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"/messages/packs/{Id(MercadoLibreFake.ChatOrderId(0))}/sellers/{MercadoLibreFake.SellerId}", $"/messages/packs/{Id(MercadoLibreFake.PackIdOf(1)!.Value)}/sellers/{MercadoLibreFake.SellerId}"],
            packCalls.Select(r => r.Path).Distinct().ToList());
        Assert.All(packCalls, r =>
        {
            Assert.Equal("post_sale", r.Q("tag"));
            Assert.Equal("false", r.Q("mark_as_read")); // reading must not mark the buyer's messages as read
        });
    }

    [Fact]
    public async Task Post_sale_message_direction_and_buyer_come_from_the_sender_and_the_order()
    {
        _fake.Mode = MercadoLibreFake.FakeStream.Chats;
        _fake.Items = [Item(2, daysAgo: 4), Item(4, daysAgo: 3)];
        var messages = (await ReadAll(Connect(new InMemoryTokenStore()), StreamName.Chats)).Cast<ChatMessage>().ToDictionary(m => m.ExternalId);
        Assert.False(MercadoLibreFake.FromSeller(2));
        Assert.True(MercadoLibreFake.FromSeller(4));
        var inbound = messages[MercadoLibreFake.MessageId(2)];
        var outbound = messages[MercadoLibreFake.MessageId(4)];
        Assert.Equal(MessageDirection.Inbound, inbound.Direction);
        Assert.Equal(MessageDirection.Outbound, outbound.Direction);
        var buyer = MercadoLibreFake.PackBuyer(0);
        Assert.All(messages.Values, m =>
        {
            Assert.Equal(Id(buyer.Id), m.Buyer.BuyerId);
            Assert.Equal("Comprador Pack 0", m.Buyer.Name);
            Assert.Equal("AR", m.Buyer.Country);
        });
        Assert.Equal(Now.AddDays(-4), inbound.SentAt);
        Assert.Equal(TimeSpan.Zero, inbound.SentAt.Offset);
        Assert.Contains("¿Cuándo llega mi compra?", inbound.Text, StringComparison.Ordinal);
        Assert.Contains("\"message_date\"", inbound.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_with_more_messages_than_a_page_is_paged()
    {
        _fake.Mode = MercadoLibreFake.FakeStream.Chats;
        _fake.MessagesPerPack = 25;
        _fake.Items = [.. Enumerable.Range(1, 25).Select(k => new SampleItem(2 * k, Now.AddDays(-10), Now.AddDays(-9).AddMinutes(k)))];
        var records = await ReadAll(Connect(new InMemoryTokenStore()), StreamName.Chats);
        Assert.Equal(25, records.Count);
        Assert.Equal(25, records.Select(r => r.ExternalId).Distinct().Count());
        Assert.Single(records.Cast<ChatMessage>().Select(m => m.ConversationId).Distinct());
        var offsets = _server.Requests.Where(r => r.Path.StartsWith("/messages/packs/", StringComparison.Ordinal)).Select(r => r.Q("offset")).ToList();
        Assert.Equal(["0", "10", "20"], offsets);
    }

    [Fact]
    public async Task A_read_resumed_inside_a_pack_continues_there_and_a_later_read_gets_only_new_messages()
    {
        _fake.Mode = MercadoLibreFake.FakeStream.Chats;
        _fake.MessagesPerPack = 25;
        var items = Enumerable.Range(1, 50).Select(n => new SampleItem(n, Now.AddDays(-10), Now.AddDays(-9).AddMinutes(n))).ToList();
        _fake.Items = items;
        var tokens = new InMemoryTokenStore(); // shared: refresh tokens rotate

        // Stop after the first page of the pack: its checkpoint is inside the pack.
        var first = new List<RecordPage>();
        await foreach (var page in Connect(tokens).ReadAsync(StreamName.Chats, null, Window, CancellationToken.None))
        {
            first.Add(page);
            if (page.Records.Any(r => r is ChatMessage m && m.ConversationId.StartsWith("pack:", StringComparison.Ordinal)))
                break;
        }
        Assert.Contains("\"packOffset\":10", first[^1].Checkpoint.Json, StringComparison.Ordinal);
        _server.ClearLog();
        var rest = await ReadPages(Connect(tokens), StreamName.Chats, new StreamCursor(first[^1].Checkpoint.Json), Window);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/questions/search"); // the questions phase was finished
        Assert.Equal("10", _server.Requests.First(r => r.Path.StartsWith("/messages/packs/", StringComparison.Ordinal)).Q("offset"));
        var all = first.Concat(rest).SelectMany(p => p.Records).Select(r => r.ExternalId).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(items.Select(_fake.ExternalIdOf).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));

        // Later: one new message in the pack and one new question; a read from the last checkpoint returns just them.
        _clock.Now = Now.AddHours(2);
        _fake.Items = [.. items, new SampleItem(52, Now.AddHours(1), Now.AddHours(1)), new SampleItem(51, Now.AddHours(1), Now.AddHours(1).AddMinutes(5))];
        var later = await ReadPages(Connect(tokens), StreamName.Chats, new StreamCursor(rest[^1].Checkpoint.Json), new ReadWindow(Now.AddDays(-30), Now.AddHours(2).AddSeconds(-5)));
        Assert.Equal(
            new[] { MercadoLibreFake.MessageId(52), Id(MercadoLibreFake.QuestionId(51)) }.Order(StringComparer.Ordinal),
            later.SelectMany(p => p.Records).Select(r => r.ExternalId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reviews_are_anonymous()
    {
        _fake.Mode = MercadoLibreFake.FakeStream.Reviews;
        _fake.Items = [Item(3)];
        var review = Assert.IsType<ReviewRecord>(Assert.Single(await ReadAll(Connect(new InMemoryTokenStore()), StreamName.Reviews)));
        Assert.Null(review.Buyer);
        Assert.Equal(4, review.Rating);
        Assert.Equal(MercadoLibreFake.ListingOf(3), review.Sku);
    }

    [Fact]
    public async Task A_range_with_more_orders_than_offsets_reach_is_split_by_time()
    {
        var random = new Random(3);
        _fake.Items = [.. Enumerable.Range(1, 10_120).Select(n =>
        {
            var updated = Now.AddDays(-25).AddSeconds(random.Next(0, 20 * 86_400));
            return new SampleItem(n, updated.AddHours(-random.Next(0, 48)), updated);
        })];
        var records = await ReadAll(Connect(new InMemoryTokenStore()));
        Assert.Equal(10_120, records.Count);
        Assert.Equal(10_120, records.Select(r => r.ExternalId).Distinct().Count());
        Assert.All(_server.Requests.Where(r => r.Path == "/orders/search"), r => Assert.True(int.Parse(r.Q("offset")!, System.Globalization.CultureInfo.InvariantCulture) < 10_000));
    }
}
