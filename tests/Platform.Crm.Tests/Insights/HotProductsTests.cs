using Platform.Crm.Insights;
using Xunit;

namespace Platform.Crm.Tests.Insights;

public sealed class HotProductsTests
{
    private const double Tol = 1e-12;

    // Window: Monday 2 March 2026 to Monday 16 March 2026 (UTC), i.e. the ISO weeks of 2 and 9 March.
    private static readonly DateTimeOffset From = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 3, 16, 0, 0, 0, TimeSpan.Zero);
    private static DateTimeOffset At(int month, int day, int hour = 12) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static readonly SaleLine[] Lines =
    [
        new("o1", "alice", At(1, 10), "A", "Mug", 1, 10m),          // before the window: feeds A's repeat rate only
        new("o2", "alice", At(3, 3, 10), "A", "Mug", 2, 20m),
        new("o2", "alice", At(3, 3, 10), "B", "Tea", 1, 5m),
        new("o3", "bob", At(3, 3), "A", "Mug (new)", 1, 10m),        // bob's first order
        new("o4", "bob", At(3, 10), "A", "Mug v2", 1, 10m),
        new("o4", "bob", At(3, 10), "A", "Mug v2", 1, 10m),          // same SKU twice in one order: one order
        new("o5", "carol", At(3, 11), "B", "Tea", 3, 15m),           // carol's first order
        new("o6", "carol", At(3, 20), "B", "Tea", 1, 5m),            // after the window: ignored entirely
        new("o7", "dave", new DateTimeOffset(2026, 3, 9, 1, 0, 0, TimeSpan.FromHours(5)), "C", "Pot", 1, 50m), // 8 March 20:00 UTC
    ];

    private static readonly Dictionary<string, DateTimeOffset> FirstOrders = new()
    {
        ["alice"] = At(1, 10), ["bob"] = At(3, 3), ["carol"] = At(3, 11), // dave is missing: his earliest line is used
    };

    private static readonly ProductReview[] Reviews = [new("A", 5), new("A", 4), new("B", 3), new("Z", 1)];

    [Fact]
    public void Ranks_products_with_hand_computed_figures()
    {
        var hot = HotProducts.Rank(Lines, FirstOrders, Reviews, From, To);
        // Revenue: A 20+10+10+10 = 50, C 50, B 5+15 = 20. A and C tie on revenue; A has more units (5 vs 1).
        Assert.Equal(["A", "C", "B"], hot.Select(h => h.Sku));

        var a = hot[0];
        Assert.Equal("Mug v2", a.Title); // latest line's title
        Assert.Equal((5, 50m, 3, 2), (a.Units, a.Revenue, a.Orders, a.Buyers)); // orders o2, o3, o4; alice and bob
        Assert.Equal(1.0 / 3, a.FirstTimeBuyerShare, Tol); // only o3 was a first order (alice's was o1 in January)
        Assert.Equal(1.0, a.RepeatRate, Tol);              // alice: o1 + o2; bob: o3 + o4
        Assert.Equal(4.5, a.ReviewAverage);                // (5 + 4) / 2
        Assert.Equal(2, a.Reviews);
        Assert.Equal([new WeeklySales(new DateOnly(2026, 3, 2), 3, 30m), new WeeklySales(new DateOnly(2026, 3, 9), 2, 20m)], a.Weeks);

        var c = hot[1];
        Assert.Equal(("Pot", 1, 50m, 1, 1), (c.Title, c.Units, c.Revenue, c.Orders, c.Buyers));
        Assert.Equal(1.0, c.FirstTimeBuyerShare, Tol); // dave's only line is his first order
        Assert.Equal(0.0, c.RepeatRate, Tol);
        Assert.Null(c.ReviewAverage);
        Assert.Equal(0, c.Reviews);
        // 9 March 01:00 +05:00 is 8 March UTC: the week of 2 March.
        Assert.Equal([new WeeklySales(new DateOnly(2026, 3, 2), 1, 50m), new WeeklySales(new DateOnly(2026, 3, 9), 0, 0m)], c.Weeks);

        var b = hot[2];
        Assert.Equal(("Tea", 4, 20m, 2, 2), (b.Title, b.Units, b.Revenue, b.Orders, b.Buyers)); // o2, o5; alice, carol
        Assert.Equal(1.0 / 2, b.FirstTimeBuyerShare, Tol); // o5 was carol's first
        Assert.Equal(0.0, b.RepeatRate, Tol);              // carol's second Tea order (o6) is after the window's end
        Assert.Equal(3.0, b.ReviewAverage);
        Assert.Equal([new WeeklySales(new DateOnly(2026, 3, 2), 1, 5m), new WeeklySales(new DateOnly(2026, 3, 9), 3, 15m)], b.Weeks);
    }

    [Fact]
    public void Top_takes_the_first_products()
    {
        Assert.Equal(["A", "C"], HotProducts.Rank(Lines, FirstOrders, Reviews, From, To, top: 2).Select(h => h.Sku));
        Assert.Equal(["A"], HotProducts.Rank(Lines, FirstOrders, [], From, To, top: 1).Select(h => h.Sku));
    }

    [Fact]
    public void Ties_on_revenue_and_units_go_by_sku()
    {
        SaleLine[] lines = [new("1", "x", At(3, 4), "b", "B", 1, 9m), new("2", "y", At(3, 4), "a", "A", 1, 9m), new("3", "y", At(3, 4), "c", "C", 2, 9m)];
        Assert.Equal(["c", "a", "b"], HotProducts.Rank(lines, new Dictionary<string, DateTimeOffset>(), [], From, To).Select(h => h.Sku));
    }

    [Fact]
    public void Repeat_rate_counts_history_before_the_window_and_first_share_counts_orders()
    {
        // x bought S in January and again in the window; y bought S once, in the window, as their first order;
        // z bought S twice in the window (first order and another). Buyers 3, repeat x and z: 2/3.
        // Orders in the window: x's (not first), y's (first), z's two (one first): 2 of 4.
        SaleLine[] lines =
        [
            new("x1", "x", At(1, 5), "S", "Soap", 1, 1m), new("x2", "x", At(3, 5), "S", "Soap", 1, 1m),
            new("y1", "y", At(3, 6), "S", "Soap", 1, 1m),
            new("z1", "z", At(3, 7), "S", "Soap", 1, 1m), new("z2", "z", At(3, 8), "S", "Soap", 1, 1m),
        ];
        var firsts = new Dictionary<string, DateTimeOffset> { ["x"] = At(1, 5), ["y"] = At(3, 6), ["z"] = At(3, 7) };
        var s = Assert.Single(HotProducts.Rank(lines, firsts, [], From, To));
        Assert.Equal((4, 3), (s.Orders, s.Buyers));
        Assert.Equal(2.0 / 3, s.RepeatRate, Tol);
        Assert.Equal(2.0 / 4, s.FirstTimeBuyerShare, Tol);
    }

    [Fact]
    public void Weeks_cover_every_week_the_window_touches()
    {
        // Wednesday 4 March to Tuesday 17 March 00:00: the weeks of 2, 9 and 16 March (the last one only touched on the 16th).
        var from = new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 3, 17, 0, 0, 0, TimeSpan.Zero);
        SaleLine[] lines = [new("1", "x", At(3, 3), "s", "S", 5, 5m), new("2", "x", At(3, 16), "s", "S", 1, 1m)];
        var s = Assert.Single(HotProducts.Rank(lines, new Dictionary<string, DateTimeOffset>(), [], from, to));
        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 16)], s.Weeks.Select(w => w.WeekStart));
        Assert.Equal([0, 0, 1], s.Weeks.Select(w => w.Units)); // the 3 March line is before the window
        Assert.Equal(new DateOnly(2026, 3, 9), HotProducts.WeekStart(new DateTimeOffset(2026, 3, 15, 23, 59, 0, TimeSpan.Zero))); // Sunday
        Assert.Equal(new DateOnly(2026, 3, 16), HotProducts.WeekStart(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero)));  // Monday
    }

    [Fact]
    public void Nothing_sold_in_the_window_gives_an_empty_list()
    {
        Assert.Empty(HotProducts.Rank([], new Dictionary<string, DateTimeOffset>(), Reviews, From, To));
        Assert.Empty(HotProducts.Rank([Lines[0]], FirstOrders, Reviews, From, To));
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Equal("from", Assert.Throws<ArgumentException>(() => HotProducts.Rank(Lines, FirstOrders, Reviews, To, From)).ParamName);
        Assert.Equal("from", Assert.Throws<ArgumentException>(() => HotProducts.Rank(Lines, FirstOrders, Reviews, From, From)).ParamName);
        Assert.Equal("top", Assert.Throws<ArgumentException>(() => HotProducts.Rank(Lines, FirstOrders, Reviews, From, To, 0)).ParamName);
        Assert.Throws<ArgumentNullException>(() => HotProducts.Rank(null!, FirstOrders, Reviews, From, To));
        Assert.Throws<ArgumentNullException>(() => HotProducts.Rank(Lines, null!, Reviews, From, To));
        Assert.Throws<ArgumentNullException>(() => HotProducts.Rank(Lines, FirstOrders, null!, From, To));
    }
}
