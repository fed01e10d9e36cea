using System.Net;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Hot products, bought-together rules and the monthly funnel through the real host, each checked against what the
/// test computes itself from the orders API of a closed sandbox store.
/// </summary>
public sealed class InsightsApiTests(InsightsApiTests.Fixture fixture) : IClassFixture<InsightsApiTests.Fixture>
{
    private const string M = "ins";
    private static readonly string[] Revenue = ["paid", "shipped", "delivered", "completed"];

    public sealed class Fixture : HostFixture, IAsyncLifetime
    {
        public List<JsonElement> Orders { get; private set; } = [];

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            using var api = Host.Client();
            await api.CreateMerchantAsync(M, "SGD");
            await api.PutStoreAsync(M, "s1", new { population = 41, people = 80, ordersPerDay = 15, country = "SG", currency = "SGD", closedOn = ClosedStores.ClosedOn },
                ClosedStores.Today.AddDays(-200));
            await api.SyncAsync(M, "s1", "orders");
            Orders = (await api.GetAllAsync($"/api/v1/merchants/{M}/orders")).Where(o => Revenue.Contains(o.GetProperty("status").GetString())).ToList();
        }
    }

    private static IEnumerable<(string Sku, int Quantity, decimal Amount)> Lines(JsonElement order) =>
        order.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("sku").GetString()!, l.GetProperty("quantity").GetInt32(),
            l.GetProperty("quantity").GetInt32() * l.GetProperty("unitPrice").GetDecimal()));

    private static DateTimeOffset Created(JsonElement order) => order.GetProperty("createdAt").GetDateTimeOffset();

    [Fact]
    public async Task Hot_products_add_up_to_the_orders_of_the_window()
    {
        using var api = fixture.Host.Client();
        var body = await api.GetJsonAsync($"/api/v1/merchants/{M}/insights/hot-products?days=100&top=5");
        var from = body.GetProperty("from").GetDateTimeOffset();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        var window = fixture.Orders.Where(o => Created(o) >= from).ToList();
        foreach (var item in items)
        {
            var sku = item.GetProperty("sku").GetString()!;
            var withSku = window.Where(o => Lines(o).Any(l => l.Sku == sku)).ToList();
            Assert.Equal(withSku.SelectMany(Lines).Where(l => l.Sku == sku).Sum(l => l.Quantity), item.GetProperty("units").GetInt32());
            Assert.Equal(withSku.SelectMany(Lines).Where(l => l.Sku == sku).Sum(l => l.Amount), item.GetProperty("revenue").GetDecimal(), 2);
            Assert.Equal(withSku.Count, item.GetProperty("orders").GetInt32());
            Assert.Equal(withSku.Select(o => o.GetProperty("customer").GetString()).Distinct().Count(), item.GetProperty("buyers").GetInt32());
            Assert.InRange(item.GetProperty("firstTimeBuyerShare").GetDouble(), 0, 1);
            Assert.InRange(item.GetProperty("repeatRate").GetDouble(), 0, 1);
            Assert.Equal(item.GetProperty("units").GetInt32(), item.GetProperty("weeks").EnumerateArray().Sum(w => w.GetProperty("units").GetInt32()));
        }
        var revenues = items.Select(i => i.GetProperty("revenue").GetDecimal()).ToList();
        Assert.Equal(revenues.OrderDescending(), revenues);
    }

    [Fact]
    public async Task Bought_together_rules_count_the_orders_that_hold_both_products()
    {
        using var api = fixture.Host.Client();
        var body = await api.GetJsonAsync($"/api/v1/merchants/{M}/insights/bought-together?days=365&minSupport=0&minConfidence=0&minLift=0&minCount=2&max=20");
        var rules = body.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(rules);
        var baskets = fixture.Orders.Select(o => Lines(o).Select(l => l.Sku).ToHashSet()).ToList();
        Assert.Equal(baskets.Count, body.GetProperty("orders").GetInt32());
        foreach (var rule in rules)
        {
            var (x, y) = (rule.GetProperty("antecedent").GetString()!, rule.GetProperty("consequent").GetString()!);
            var both = baskets.Count(b => b.Contains(x) && b.Contains(y));
            var withX = baskets.Count(b => b.Contains(x));
            var withY = baskets.Count(b => b.Contains(y));
            Assert.Equal(both, rule.GetProperty("count").GetInt32());
            Assert.Equal((double)both / baskets.Count, rule.GetProperty("support").GetDouble(), 9);
            Assert.Equal((double)both / withX, rule.GetProperty("confidence").GetDouble(), 9);
            Assert.Equal((double)both * baskets.Count / ((double)withX * withY), rule.GetProperty("lift").GetDouble(), 9);
        }
        // For one product: only rules that start from it.
        var sku = rules[0].GetProperty("antecedent").GetString()!;
        var forSku = await api.GetJsonAsync($"/api/v1/merchants/{M}/insights/bought-together?sku={Uri.EscapeDataString(sku)}&minSupport=0&minConfidence=0&minLift=0");
        Assert.All(forSku.GetProperty("items").EnumerateArray(), r => Assert.Equal(sku, r.GetProperty("antecedent").GetString()));

        var bad = await api.GetAsync($"/api/v1/merchants/{M}/insights/bought-together?minSupport=2");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("minSupport", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_funnel_counts_each_buyer_new_once_in_the_month_of_their_first_order()
    {
        using var api = fixture.Host.Client();
        var to = ClosedStores.Today;
        var from = new DateTimeOffset(to.Year, to.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-5);
        var body = await api.GetJsonAsync($"/api/v1/merchants/{M}/insights/funnel?store=s1&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");
        var months = body.GetProperty("months").EnumerateArray().ToList();
        // Six months back from the first of this month, up to today (this month too, unless today is its first day).
        Assert.Equal(to.Day == 1 ? 5 : 6, months.Count);
        var firsts = fixture.Orders.GroupBy(o => o.GetProperty("customer").GetString()).Select(g => g.Min(Created)).ToList();
        Assert.Equal(firsts.Count(f => f >= from && f < to), months.Sum(m => m.GetProperty("newBuyers").GetInt32()));
        foreach (var month in months)
        {
            var start = new DateTimeOffset(month.GetProperty("year").GetInt32(), month.GetProperty("month").GetInt32(), 1, 0, 0, 0, TimeSpan.Zero);
            var end = start.AddMonths(1) < to ? start.AddMonths(1) : to;
            var active = fixture.Orders.Where(o => Created(o) >= Max(start, from) && Created(o) < end).Select(o => o.GetProperty("customer").GetString()).Distinct().Count();
            Assert.Equal(active, month.GetProperty("activeBuyers").GetInt32());
            Assert.True(month.GetProperty("loyalMembers").GetInt32() <= active);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/merchants/{M}/insights/funnel?from={Uri.EscapeDataString(to.ToString("O"))}&to={Uri.EscapeDataString(from.ToString("O"))}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/merchants/{M}/insights/hot-products?days=0")).StatusCode);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
