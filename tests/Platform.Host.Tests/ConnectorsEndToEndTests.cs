using System.Net;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Platform.Plugins.Ebay.Tests;
using Platform.Plugins.MercadoLibre.Tests;
using Platform.Plugins.Shopee.Tests;
using Platform.Plugins.Testing;
using Platform.Plugins.WooCommerce.Tests;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The real host with all four marketplace connectors configured through the API against fake marketplaces that
/// serve the documented payloads over HTTP: every store syncs, and one person who bought on Shopee, WooCommerce and
/// eBay is one customer with the orders of all three.
/// </summary>
public sealed class ConnectorsEndToEndTests : IAsyncLifetime
{
    private const string Merchant = "acme";
    private const string Email = "ana.lima@example.com";
    private const string Phone = "+6591234567";

    private readonly ShopeeFake _shopee = new();
    private readonly WooCommerceFake _woo = new();
    private readonly EbayFake _ebay = new();
    private readonly MercadoLibreFake _meli = new();
    private readonly List<FakeMarketplaceServer> _servers = [];
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var from = now.AddDays(-20);
        var to = now.AddHours(-2);
        _shopee.Items = Items(40, from, to, seed: 1);
        _woo.Items = Items(30, from, to, seed: 2);
        _ebay.Items = Items(30, from, to, seed: 3);
        _meli.Items = Items(30, from, to, seed: 4);

        // The same person on three marketplaces: Shopee shows her phone (it gives no buyer email), WooCommerce her
        // email and phone, eBay her email.
        var placed = Second(now.AddDays(-3));
        _shopee.ExtraOrders.Add(new ShopeeExtraOrder("260601ANALIMA", placed.AddHours(-1), placed, 777_000_001, "ana.lima88", "Ana Lima", RecipientPhone: Phone));
        _woo.AddOrder(Email, "Ana", "Lima", placed, phone: "+65 9123 4567", country: "SG", customerId: 4242);
        _ebay.AddOrder(new SampleItem(990_001, placed.AddHours(-1), placed), Email, "Ana Lima");
        _meli.AddOrder(new SampleItem(990_001, placed.AddHours(-1), placed), new MercadoLibreFake.FakeBuyer(555_001, "ANALIMA_AR", "Ana", "Lima"));

        foreach (var fake in new MarketplaceFake[] { _shopee, _woo, _ebay, _meli })
            _servers.Add(new FakeMarketplaceServer(fake));
        _host = new HostProcess(TestPaths.NewTempDirectory(nameof(ConnectorsEndToEndTests)),
            new Dictionary<string, string> { ["Platform:ExchangeRates:SGD-USD"] = "0.75", ["Platform:ExchangeRates:ARS-USD"] = "0.001" });
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        foreach (var server in _servers)
            server.Dispose();
    }

    [Fact]
    public async Task Four_marketplaces_sync_through_the_host_and_one_person_is_one_customer_across_three_of_them()
    {
        var api = _host.Client();
        await api.CreateMerchantAsync(Merchant);
        var since = DateTimeOffset.UtcNow.AddDays(-30);
        await PutStore(api, "shopee-sg", "shopee", new
        {
            baseUrl = _servers[0].Url, partnerId = ShopeeFake.PartnerId, partnerKey = ShopeeFake.PartnerKey, shopId = ShopeeFake.ShopId,
            accessToken = ShopeeFake.AccessToken, refreshToken = ShopeeFake.RefreshToken,
        }, since);
        await PutStore(api, "woo", "woocommerce", new { baseUrl = _servers[1].Url, consumerKey = WooCommerceFake.ConsumerKey, consumerSecret = WooCommerceFake.ConsumerSecret }, since);
        await PutStore(api, "ebay-us", "ebay", new
        {
            baseUrl = _servers[2].Url, clientId = EbayFake.ClientId, clientSecret = EbayFake.ClientSecret, refreshToken = EbayFake.RefreshToken,
            sellerUsername = EbayFake.SellerUsername,
        }, since);
        await PutStore(api, "meli-ar", "mercadolibre", new
        {
            baseUrl = _servers[3].Url, clientId = MercadoLibreFake.ClientId, clientSecret = MercadoLibreFake.ClientSecret,
            refreshToken = MercadoLibreFake.InitialRefreshToken, sellerId = MercadoLibreFake.SellerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, since);

        foreach (var store in new[] { "shopee-sg", "woo", "ebay-us", "meli-ar" })
        {
            var check = await (await api.PostAsync($"/api/v1/merchants/{Merchant}/stores/{store}/check", null)).ReadJsonAsync();
            Assert.True(check.GetProperty("ok").GetBoolean(), $"{store}: {check}");
            await api.SyncAsync(Merchant, store, "orders");
        }

        var expected = new Dictionary<string, int> { ["shopee-sg"] = 41, ["woo"] = 31, ["ebay-us"] = 31, ["meli-ar"] = 31 };
        foreach (var (store, count) in expected)
        {
            var orders = await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/orders?store={store}&pageSize=500");
            Assert.True(orders.GetProperty("total").GetInt32() == count, $"{store} has {orders.GetProperty("total")} orders, the marketplace {count}");
        }

        var found = await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/customers?q={Uri.EscapeDataString(Email)}");
        var customer = Assert.Single(found.GetProperty("items").EnumerateArray());
        var id = customer.GetProperty("id").GetString()!;
        var profile = await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/customers/{id}");
        var stores = profile.GetProperty("stores").EnumerateArray().Select(StoreOf).OrderBy(s => s).ToList();
        Assert.Equal(["ebay-us", "shopee-sg", "woo"], stores);
        Assert.True(profile.GetProperty("stats").GetProperty("orders").GetInt32() == 3, profile.ToString());

        var theirOrders = await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/orders?customer={id}&pageSize=50");
        Assert.Equal(
            new[] { "260601ANALIMA", WooCommerceFake.OrderId(900_001).ToString(System.Globalization.CultureInfo.InvariantCulture), EbayFake.OrderId(990_001) }.Order(),
            theirOrders.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()!).Order());

        // Mercado Libre gives neither email nor phone: her account there stays its own customer.
        var meli = await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/customers?store=meli-ar&q=Ana%20Lima");
        var other = Assert.Single(meli.GetProperty("items").EnumerateArray());
        Assert.NotEqual(id, other.GetProperty("id").GetString());

        // The rotated Mercado Libre refresh token was kept: a second sync still authenticates.
        await api.SyncAsync(Merchant, "meli-ar", "orders");
    }

    [Fact]
    public async Task Rotated_tokens_survive_a_settings_edit_and_a_rejected_token_fails_the_run_naming_the_setting()
    {
        var api = _host.Client();
        await api.CreateMerchantAsync("bob");
        var since = DateTimeOffset.UtcNow.AddDays(-30);
        object Settings(string refreshToken) => new
        {
            baseUrl = _servers[3].Url, clientId = MercadoLibreFake.ClientId, clientSecret = MercadoLibreFake.ClientSecret,
            refreshToken, sellerId = MercadoLibreFake.SellerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await PutStore(api, "meli", "mercadolibre", Settings(MercadoLibreFake.InitialRefreshToken), since, "bob");
        await api.SyncAsync("bob", "meli", "orders"); // uses up the initial refresh token: Mercado Libre rotated it

        // Editing the store without re-entering secrets ("***") keeps the rotated token the connector saved.
        await PutStore(api, "meli", "mercadolibre", Settings(StoreMask), since, "bob", HttpStatusCode.OK);
        await api.SyncAsync("bob", "meli", "orders");

        // A refresh token the marketplace rejects: the check and the run say which setting to fix, the log never shows it.
        await PutStore(api, "meli", "mercadolibre", Settings("TG-not-a-real-token"), since, "bob", HttpStatusCode.OK);
        var check = await (await api.PostAsync("/api/v1/merchants/bob/stores/meli/check", null)).ReadJsonAsync();
        Assert.False(check.GetProperty("ok").GetBoolean(), check.ToString());
        Assert.Contains("refreshToken", check.GetProperty("message").GetString(), StringComparison.Ordinal);
        var ids = await api.StartSyncAsync("bob", "meli", "orders");
        var run = Assert.Single(await api.WaitForRunsAsync("bob", "meli", ids));
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("refreshToken", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("TG-not-a-real-token", _host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(MercadoLibreFake.ClientSecret, _host.Log, StringComparison.Ordinal);
    }

    private const string StoreMask = "***";

    private static async Task PutStore(HttpClient api, string store, string plugin, object settings, DateTimeOffset since, string merchant = Merchant,
        HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await api.PutJsonAsync($"/api/v1/merchants/{merchant}/stores/{store}",
            new { plugin, displayName = store, settings, since, schedules = new { }, enabled = true });
        Assert.True(response.StatusCode == expected, $"PUT {store}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string StoreOf(JsonElement store) =>
        store.GetProperty("id").GetString()!;

    private static DateTimeOffset Second(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static List<SampleItem> Items(int count, DateTimeOffset from, DateTimeOffset to, int seed)
    {
        var random = new Random(seed);
        var span = (long)(to - from).TotalSeconds;
        return [.. Enumerable.Range(1, count).Select(n =>
        {
            var updated = Second(from.AddSeconds(random.NextInt64(0, span)));
            return new SampleItem(n, updated.AddHours(-random.Next(0, 48)), updated);
        })];
    }
}
