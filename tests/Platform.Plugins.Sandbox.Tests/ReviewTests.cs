using System.Text.RegularExpressions;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed partial class ReviewTests
{
    private static readonly DateTimeOffset Since = Harness.Now.AddDays(-90);

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [Fact]
    public async Task Reviews_belong_to_delivered_orders_and_look_like_real_reviews()
    {
        var clock = new ManualClock(Harness.Now);
        var connector = Harness.Connect("store-a", clock, """{"pageSize":30}""");
        var window = new ReadWindow(Since, Harness.Now);

        var pages = await Harness.ReadPagesAsync(connector, StreamName.Reviews, null, window);
        var reviews = pages.Records().Cast<ReviewRecord>().ToList();
        var orders = (await Harness.ReadPagesAsync(connector, StreamName.Orders, null, new ReadWindow(Since.AddDays(-30), Harness.Now)))
            .Records().Cast<OrderRecord>().ToDictionary(o => o.ExternalId);

        Harness.AssertWellFormed(pages, 30, Since, Harness.Now);
        Assert.True(reviews.Count > 100, $"only {reviews.Count} reviews");
        Assert.All(reviews, r =>
        {
            var order = orders[r.OrderExternalId!];
            Assert.Equal("rv-" + order.ExternalId, r.ExternalId);
            Assert.Equal(order.Lines[0].Sku, r.Sku);
            Assert.Equal(order.Buyer, r.Buyer);
            Assert.InRange(r.Rating, 1, 5);
            Assert.Contains(order.Status, (OrderStatus[])[OrderStatus.Delivered, OrderStatus.Completed, OrderStatus.Refunded, OrderStatus.Returned]);
            Assert.True(r.CreatedAt > order.CreatedAt.AddDays(3));
            Assert.True(r.CreatedAt <= Harness.Now);
            if (r.SellerReply is null)
                Assert.Equal(r.CreatedAt, r.UpdatedAt);
            else
                Assert.InRange(r.UpdatedAt - r.CreatedAt, TimeSpan.FromDays(1), TimeSpan.FromDays(2));
            Assert.Contains($"\"rating_star\":{r.Rating}", r.RawJson);
        });

        var ratings = reviews.GroupBy(r => r.Rating).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(ratings.GetValueOrDefault(5) > reviews.Count * 0.35, "five stars should be the most common");
        Assert.Contains(reviews, r => r.Rating <= 2);
        Assert.All(reviews.Where(r => r.Rating <= 2), r => Assert.NotEmpty(r.Text));
        Assert.Contains(reviews, r => Chinese().IsMatch(r.Text));
        Assert.Contains(reviews, r => r.Text.Length > 0 && !Chinese().IsMatch(r.Text));
        Assert.Contains(reviews, r => r.Rating >= 4 && r.Text.Length == 0);
        Assert.Contains(reviews, r => r.SellerReply is not null);
        Assert.Contains(reviews, r => r.SellerReply is null);
        var share = (double)reviews.Count / orders.Values.Count(o => o.Status is OrderStatus.Completed);
        Assert.InRange(share, 0.15, 0.45);
    }

    [Fact]
    public async Task A_seller_reply_is_an_update_of_the_review()
    {
        var clock = new ManualClock(Harness.Now);
        var connector = Harness.Connect("store-a", clock);
        var first = (await Harness.ReadPagesAsync(connector, StreamName.Reviews, null, new ReadWindow(Since, clock.Now)))
            .Records().Cast<ReviewRecord>().ToList();

        clock.Now = clock.Now.AddDays(3);
        var later = (await Harness.ReadPagesAsync(connector, StreamName.Reviews, null, new ReadWindow(Since, clock.Now)))
            .Records().Cast<ReviewRecord>().ToDictionary(r => r.ExternalId);

        var answered = first.Where(r => r.SellerReply is null && later[r.ExternalId].SellerReply is not null).ToList();
        Assert.NotEmpty(answered);
        Assert.All(answered, r =>
        {
            var now = later[r.ExternalId];
            Assert.Equal(r.CreatedAt, now.CreatedAt);
            Assert.True(now.UpdatedAt > r.UpdatedAt);
            Assert.Equal(r.Rating, now.Rating);
            Assert.Equal(r.Text, now.Text);
        });
    }
}
