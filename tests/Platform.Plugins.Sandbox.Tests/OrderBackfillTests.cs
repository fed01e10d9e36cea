using System.Globalization;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed class OrderBackfillTests
{
    private static readonly DateTimeOffset Since = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Backfill_returns_every_order_created_in_the_window_exactly_once_in_sorted_pages()
    {
        var until = Harness.Now;
        var connector = Harness.Connect("store-a", new ManualClock(until), """{"pageSize":40}""");

        var pages = await Harness.ReadPagesAsync(connector, StreamName.Orders, null, new ReadWindow(Since, until));

        Harness.AssertWellFormed(pages, 40, Since, until);
        var orders = pages.Records().Cast<OrderRecord>().ToList();
        Assert.Equal(orders.Count, orders.Select(o => o.ExternalId).Distinct().Count());

        // Order ids are numbered 1..n per creation day: no order created in the window may be missing.
        var created = orders.Where(o => o.CreatedAt >= Since).ToList();
        Assert.All(created, o => Assert.True(o.CreatedAt <= until));
        var days = created.GroupBy(o => o.CreatedAt.UtcDateTime.Date).ToList();
        Assert.Equal((int)Math.Ceiling((until - Since).TotalDays), days.Count);
        foreach (var day in days)
        {
            var numbers = day.Select(o => int.Parse(o.ExternalId[^5..], CultureInfo.InvariantCulture)).Order().ToList();
            Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
            Assert.All(day, o => Assert.Contains(day.Key.ToString("yyyyMMdd", CultureInfo.InvariantCulture), o.ExternalId));
            var byNumber = day.OrderBy(o => o.ExternalId, StringComparer.Ordinal).Select(o => o.CreatedAt).ToList();
            Assert.Equal(byNumber.Order(), byNumber);
        }
        var perDay = created.Count / (until - Since).TotalDays;
        Assert.InRange(perDay, 9, 15);

        // Orders placed before the window that changed inside it are updates, returned too.
        Assert.Contains(orders, o => o.CreatedAt < Since);
    }

    [Fact]
    public async Task Orders_are_coherent_records()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"currency":"SGD"}""");

        var orders = (await Harness.ReadPagesAsync(connector, StreamName.Orders, null, new ReadWindow(Since, Harness.Now))).Records().Cast<OrderRecord>().ToList();

        Assert.All(orders, o =>
        {
            Assert.Matches("^SBX[0-9A-F]{8}-[0-9]{8}-[0-9]{5}$", o.ExternalId);
            Assert.Equal("SGD", o.Currency);
            Assert.InRange(o.Lines.Count, 1, 3);
            Assert.All(o.Lines, l => Assert.InRange(l.Quantity, 1, 3));
            Assert.All(o.Lines, l => Assert.Equal(Math.Round(l.UnitPrice, 2), l.UnitPrice));
            var sum = o.Lines.Sum(l => l.UnitPrice * l.Quantity);
            Assert.True(o.Total == sum || o.Total > sum, $"{o.ExternalId}: total {o.Total} below the lines {sum}");
            Assert.True(o.UpdatedAt >= o.CreatedAt);
            Assert.True(o.CreatedAt <= Harness.Now);
            Assert.Equal(o.Buyer.City, o.ShippingCity);
            Assert.Equal(o.Buyer.Country, o.ShippingCountry);
            Assert.StartsWith("sbx-", o.Buyer.BuyerId);
            Assert.False(string.IsNullOrEmpty(o.Buyer.Name));
            Assert.Contains($"\"order_sn\":\"{o.ExternalId}\"", o.RawJson);
            Assert.Contains($"\"update_time\":{o.UpdatedAt.ToUnixTimeSeconds()}", o.RawJson);
            Assert.Contains($"\"create_time\":{o.CreatedAt.ToUnixTimeSeconds()}", o.RawJson);
        });

        var statuses = orders.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.Contains(OrderStatus.Completed, statuses.Keys);
        Assert.Contains(OrderStatus.Delivered, statuses.Keys);
        Assert.Contains(OrderStatus.Shipped, statuses.Keys);
        Assert.Contains(OrderStatus.Cancelled, statuses.Keys);
        Assert.True(statuses[OrderStatus.Completed] > orders.Count / 2);
        Assert.Contains(orders, o => o.Total > o.Lines.Sum(l => l.UnitPrice * l.Quantity));

        // Repeat buyers exist.
        Assert.Contains(orders.GroupBy(o => o.Buyer.BuyerId), g => g.Count() >= 4);
    }

    [Fact]
    public async Task Nothing_changed_after_until_is_returned_even_when_the_clock_is_later()
    {
        var until = Harness.Now.AddDays(-3);
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now));

        var pages = await Harness.ReadPagesAsync(connector, StreamName.Orders, null, new ReadWindow(Since, until));

        Harness.AssertWellFormed(pages, 100, Since, until);
        Assert.NotEmpty(pages);
    }

    [Fact]
    public async Task Orders_not_placed_yet_do_not_exist()
    {
        var clock = new ManualClock(Harness.Now);
        var connector = Harness.Connect("store-a", clock);

        var orders = (await Harness.ReadPagesAsync(connector, StreamName.Orders, null, new ReadWindow(Since, Harness.Now.AddDays(30)))).Records().Cast<OrderRecord>().ToList();

        Assert.All(orders, o => Assert.True(o.CreatedAt <= Harness.Now && o.UpdatedAt <= Harness.Now));
        Assert.Contains(orders, o => o.Status is OrderStatus.Pending or OrderStatus.Paid);
    }
}
