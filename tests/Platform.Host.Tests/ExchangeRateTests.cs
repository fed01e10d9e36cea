using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Revenue in the merchant's currency uses the rate in effect on each order's date, configured as dated rates on the
/// command line over appsettings.json's single number; orders in a currency with no rate are counted, not summed.
/// </summary>
public sealed class ExchangeRateTests(ExchangeRateTests.Fixture fixture) : IClassFixture<ExchangeRateTests.Fixture>
{
    private static readonly DateOnly Change = DateOnly.FromDateTime(ClosedStores.Today.AddDays(-42).UtcDateTime);

    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            // appsettings.json has "SGD-USD": 0.77; these dated rates replace it.
            [$"Platform:ExchangeRates:SGD-USD:{Change.AddDays(-30):yyyy-MM-dd}"] = "0.5",
            [$"Platform:ExchangeRates:SGD-USD:{Change:yyyy-MM-dd}"] = "1.25",
        };
    }

    private static decimal ExpectedRate(DateTimeOffset orderedAt) =>
        DateOnly.FromDateTime(orderedAt.UtcDateTime) < Change ? 0.5m : 1.25m;

    private static readonly string[] Revenue = ["paid", "shipped", "delivered", "completed"];

    [Fact]
    public async Task Revenue_uses_the_rate_in_effect_on_the_order_date_and_flags_orders_without_a_rate()
    {
        using var api = fixture.Host.Client();
        var since = ClosedStores.Today.AddDays(-50);
        await api.CreateMerchantAsync("fx", "USD");
        await api.PutStoreAsync("fx", "sg", new { population = 5, people = 40, ordersPerDay = 12, country = "SG", currency = "SGD", closedOn = ClosedStores.ClosedOn }, since);
        await api.PutStoreAsync("fx", "eu", new { population = 5, people = 40, ordersPerDay = 4, country = "DE", currency = "EUR", closedOn = ClosedStores.ClosedOn }, since);
        await api.SyncAsync("fx", "sg", "orders");
        await api.SyncAsync("fx", "eu", "orders");
        await api.WaitForProfilesAsync("fx");

        var orders = await api.GetAllAsync("/api/v1/merchants/fx/orders");
        var counted = orders.Where(o => Revenue.Contains(o.GetProperty("status").GetString())).ToList();
        var sgd = counted.Where(o => o.GetProperty("currency").GetString() == "SGD").ToList();
        // Both rates are exercised.
        Assert.Contains(sgd, o => ExpectedRate(o.GetProperty("createdAt").GetDateTimeOffset()) == 0.5m);
        Assert.Contains(sgd, o => ExpectedRate(o.GetProperty("createdAt").GetDateTimeOffset()) == 1.25m);
        Assert.Contains(counted, o => o.GetProperty("currency").GetString() == "EUR");

        var byCustomer = counted.GroupBy(o => o.GetProperty("customer").GetString()!).ToList();
        Assert.Contains(byCustomer, g => g.Any(o => o.GetProperty("currency").GetString() == "EUR") && g.Any(o => o.GetProperty("currency").GetString() == "SGD"));
        foreach (var g in byCustomer)
        {
            var expectedRevenue = decimal.Round(g.Where(o => o.GetProperty("currency").GetString() == "SGD")
                .Sum(o => o.GetProperty("total").GetDecimal() * ExpectedRate(o.GetProperty("createdAt").GetDateTimeOffset())), 2);
            var expectedUnconverted = g.Count(o => o.GetProperty("currency").GetString() == "EUR");
            var stats = (await api.GetJsonAsync($"/api/v1/merchants/fx/customers/{g.Key}")).GetProperty("stats");
            Assert.Equal("USD", stats.GetProperty("currency").GetString());
            Assert.Equal(expectedRevenue, stats.GetProperty("revenue").GetDecimal());
            Assert.Equal(expectedUnconverted, stats.GetProperty("unconvertedOrders").GetInt32());
        }
    }
}
