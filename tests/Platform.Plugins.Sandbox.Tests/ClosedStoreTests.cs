using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed class ClosedStoreTests
{
    private const string Closed = """{"closedOn":"2025-02-01","ordersPerDay":20}""";

    [Fact]
    public async Task A_closed_store_takes_no_orders_from_its_closing_day()
    {
        var window = new ReadWindow(Harness.Now.AddDays(-60), Harness.Now);
        var orders = (await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(Harness.Now), Closed), StreamName.Orders, null, window))
            .Records().Cast<OrderRecord>().ToList();
        Assert.NotEmpty(orders);
        Assert.All(orders, o => Assert.True(o.CreatedAt < new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), o.ExternalId));
        var open = (await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(Harness.Now), """{"ordersPerDay":20}"""), StreamName.Orders, null, window))
            .Records().Cast<OrderRecord>();
        Assert.Contains(open, o => o.CreatedAt >= new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(StreamName.Orders)]
    [InlineData(StreamName.Reviews)]
    [InlineData(StreamName.Chats)]
    public async Task A_month_after_closing_its_history_no_longer_changes(StreamName stream)
    {
        var since = Harness.Now.AddDays(-60);
        var before = await ReadAsync(stream, Harness.Now, since);
        var weekLater = await ReadAsync(stream, Harness.Now.AddDays(7), since);
        Assert.NotEmpty(before);
        Assert.Equal(before, weekLater);
    }

    [Fact]
    public void A_malformed_closing_day_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => Harness.Connect("store-a", new ManualClock(Harness.Now), """{"closedOn":"soon"}"""));
        Assert.Contains("closedOn", error.Message);
    }

    private static async Task<List<string>> ReadAsync(StreamName stream, DateTimeOffset now, DateTimeOffset since) =>
        (await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(now), Closed), stream, null, new ReadWindow(since, now)))
            .Records().Select(r => r.RawJson).ToList();
}
