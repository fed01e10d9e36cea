using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

/// <summary><c>churnDays</c>: shoppers stop buying one by one before the store closes, and the daily orders shrink with them.</summary>
public sealed class ChurnTests
{
    private static readonly DateTimeOffset Closing = new(2025, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<List<OrderRecord>> OrdersAsync(string settings) =>
        (await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(Harness.Now), settings), StreamName.Orders, null,
            new ReadWindow(Closing.AddDays(-120), Harness.Now))).Records().Cast<OrderRecord>().ToList();

    [Fact]
    public async Task Shoppers_stop_one_by_one_and_orders_shrink_with_them()
    {
        var orders = await OrdersAsync("""{"closedOn":"2025-02-01","ordersPerDay":40,"people":400,"churnDays":100}""");
        var steady = await OrdersAsync("""{"closedOn":"2025-02-01","ordersPerDay":40,"people":400}""");
        int Between(List<OrderRecord> list, int fromDaysBefore, int toDaysBefore) =>
            list.Count(o => o.CreatedAt >= Closing.AddDays(-fromDaysBefore) && o.CreatedAt < Closing.AddDays(-toDaysBefore));

        // Before the churn window nothing changes; inside it the orders fall towards zero.
        Assert.Equal(Between(steady, 120, 100), Between(orders, 120, 100));
        Assert.True(Between(orders, 20, 0) < Between(orders, 100, 80) / 2, $"{Between(orders, 20, 0)} orders in the last 20 days, {Between(orders, 100, 80)} at the start");
        Assert.True(Between(steady, 20, 0) > Between(steady, 100, 80) / 2);

        // Each shopper's orders end on a different day: last-order days spread over the churn window.
        var lastDays = orders.GroupBy(o => o.Buyer.BuyerId).Select(g => g.Max(o => o.CreatedAt)).ToList();
        Assert.True(lastDays.Count(d => d < Closing.AddDays(-50)) > lastDays.Count / 5, "too few shoppers stopped early");
    }

    [Fact]
    public void Churn_without_a_closing_day_is_refused_naming_both_settings()
    {
        var error = Assert.Throws<ArgumentException>(() => Harness.Connect("store-a", new ManualClock(Harness.Now), """{"churnDays":30}"""));
        Assert.Contains("churnDays", error.Message);
        Assert.Contains("closedOn", error.Message);
    }
}
