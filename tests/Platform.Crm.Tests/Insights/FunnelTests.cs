using Platform.Crm.Insights;
using Xunit;

namespace Platform.Crm.Tests.Insights;

public sealed class FunnelTests
{
    private const double Tol = 1e-12;
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Apr1 = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private static FunnelOrder O(string who, int year, int month, int day, int hour = 12) => new(who, new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero));

    private static readonly FunnelOrder[] Orders =
    [
        O("ann", 2025, 12, 15), O("ann", 2026, 1, 5), O("ann", 2026, 3, 2),          // history before the window
        O("ben", 2026, 1, 10), O("ben", 2026, 1, 20),                                 // two orders in his first month
        O("cat", 2026, 1, 25), O("cat", 2026, 3, 5), O("cat", 2026, 3, 6), O("cat", 2026, 4, 2), // the April order is after `to`
        new("dan", new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.FromHours(2))), // 31 January 23:00 UTC
        new("eve", new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.FromHours(-2))), // 1 April 01:30 UTC: after `to`
    ];

    [Fact]
    public void Monthly_figures_by_hand()
    {
        var months = Funnel.Monthly(Orders, Jan1, Apr1);
        Assert.Equal([(2026, 1), (2026, 2), (2026, 3)], months.Select(m => (m.Year, m.Month)));

        // January: active ann, ben, cat, dan (4). New ben, cat, dan (3). Repeat ann (December history) and ben (two
        // orders in January): 2. Loyal: nobody has 3 orders by 31 January (ann 2, ben 2, cat 1, dan 1).
        // Of the new: ben (2 orders) and cat (3 before April) returned; cat became loyal; dan did not return.
        var jan = months[0];
        Assert.Equal((3, 2, 0, 4, 2, 1), (jan.NewBuyers, jan.RepeatBuyers, jan.LoyalMembers, jan.ActiveBuyers, jan.NewWhoReturned, jan.NewWhoBecameLoyal));
        Assert.Equal(2.0 / 3, jan.ReturnRate, Tol);
        Assert.Equal(1.0 / 3, jan.LoyalRate, Tol);

        Assert.Equal(new FunnelMonth(2026, 2, 0, 0, 0, 0, 0, 0, 0, 0), months[1]); // no orders: zeros

        // March: ann (3rd order) and cat (2nd and 3rd) are active, repeat and loyal; no new buyers (eve's order is April UTC).
        Assert.Equal(new FunnelMonth(2026, 3, 0, 2, 2, 2, 0, 0, 0, 0), months[2]);
    }

    [Fact]
    public void Loyalty_threshold_is_configurable()
    {
        var jan = Funnel.Monthly(Orders, Jan1, Apr1, loyalAfterOrders: 2)[0];
        // Two orders by 31 January: ann and ben. Of January's new, ben and cat reached two orders.
        Assert.Equal((2, 2), (jan.LoyalMembers, jan.NewWhoBecameLoyal));
        var strict = Funnel.Monthly(Orders, Jan1, Apr1, loyalAfterOrders: 4);
        Assert.All(strict, m => Assert.Equal(0, m.LoyalMembers)); // cat's 4th order is after `to`
    }

    [Fact]
    public void A_window_starting_mid_month_clips_the_first_month()
    {
        // 15 January to 1 February: ann's 5 January order is outside (she is not active); ben's 10 January order is
        // history, so his 20 January order makes him repeat, not new. New: cat and dan.
        var jan = Assert.Single(Funnel.Monthly(Orders, new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal((2, 1, 0, 3), (jan.NewBuyers, jan.RepeatBuyers, jan.LoyalMembers, jan.ActiveBuyers));
        // As of 1 February cat has one order and dan one: neither returned yet.
        Assert.Equal((0, 0), (jan.NewWhoReturned, jan.NewWhoBecameLoyal));
    }

    [Fact]
    public void Conversions_count_orders_up_to_the_end_of_the_window()
    {
        // To 5 March 13:00: cat has January and 5 March: returned, not loyal (her 6 March order is later).
        var months = Funnel.Monthly(Orders, Jan1, new DateTimeOffset(2026, 3, 5, 13, 0, 0, TimeSpan.Zero));
        Assert.Equal(3, months.Count);
        Assert.Equal((2, 0), (months[0].NewWhoReturned, months[0].NewWhoBecameLoyal));
        Assert.Equal((2, 1, 2), (months[2].ActiveBuyers, months[2].LoyalMembers, months[2].RepeatBuyers)); // ann loyal, cat at 2
    }

    [Fact]
    public void No_orders_gives_zero_months()
    {
        var months = Funnel.Monthly([], new DateTimeOffset(2025, 11, 20, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal([(2025, 11), (2025, 12), (2026, 1)], months.Select(m => (m.Year, m.Month)));
        Assert.All(months, m => Assert.Equal(0, m.ActiveBuyers + m.NewBuyers + m.RepeatBuyers + m.LoyalMembers));
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Equal("from", Assert.Throws<ArgumentException>(() => Funnel.Monthly(Orders, Apr1, Jan1)).ParamName);
        Assert.Equal("from", Assert.Throws<ArgumentException>(() => Funnel.Monthly(Orders, Jan1, Jan1)).ParamName);
        Assert.Equal("loyalAfterOrders", Assert.Throws<ArgumentException>(() => Funnel.Monthly(Orders, Jan1, Apr1, 1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => Funnel.Monthly(null!, Jan1, Apr1));
    }
}
