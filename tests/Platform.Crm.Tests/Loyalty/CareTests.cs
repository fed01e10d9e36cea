using Platform.Crm.Loyalty;
using Xunit;

namespace Platform.Crm.Tests.Loyalty;

/// <summary>Care moments on a fixed day.</summary>
public class CareTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    private static IEnumerable<SkuPurchase> Every(string customer, string sku, DateOnly first, int days, int times) =>
        Enumerable.Range(0, times).Select(i => new SkuPurchase(customer, sku, first.AddDays(i * days)));

    [Fact]
    public void The_rice_buyer_is_due_again_after_the_median_interval()
    {
        // Three buyers of a 10 kg bag every ~30 days (gaps 28, 30, 30, 32, 30, 30); one-off buyers of a pan.
        var purchases = Every("a", "rice-10kg", new DateOnly(2025, 12, 1), 30, 3)
            .Concat([new SkuPurchase("b", "rice-10kg", new DateOnly(2025, 11, 1)), new SkuPurchase("b", "rice-10kg", new DateOnly(2025, 11, 29)),
                     new SkuPurchase("b", "rice-10kg", new DateOnly(2025, 12, 31)), new SkuPurchase("b", "rice-10kg", new DateOnly(2025, 12, 31))])
            .Concat(Every("c", "rice-10kg", new DateOnly(2026, 1, 15), 30, 2))
            .Concat([new SkuPurchase("a", "pan", new DateOnly(2026, 1, 3)), new SkuPurchase("d", "pan", new DateOnly(2026, 2, 1))])
            .ToList();
        var intervals = Care.RepurchaseIntervals(purchases, minGaps: 3);
        Assert.Equal((30.0, 5), intervals["rice-10kg"]); // gaps 30, 30, 28, 32, 30
        Assert.False(intervals.ContainsKey("pan"));

        var due = Care.Replenishment(purchases, intervals, Today, Today.AddDays(7), staleDays: 14).OrderBy(i => i.CustomerId).ToList();
        // a: last 2026-01-30 → due 2026-03-01 (9 days overdue, kept); b: last 2025-12-31 → 2026-01-30 (stale, dropped); c: last 2026-02-14 → 2026-03-16.
        Assert.Equal(["a", "c"], due.Select(i => i.CustomerId));
        Assert.Equal(new DateOnly(2026, 3, 1), due[0].DueOn);
        Assert.Equal(new DateOnly(2026, 3, 16), due[1].DueOn);
        Assert.Contains("every 30 days (median of 5 repeat purchases)", due[1].Reason);
        Assert.Equal("rice-10kg", due[1].Numbers["sku"]);
    }

    [Fact]
    public void Anniversaries_fall_in_the_window_and_leap_days_move_to_the_28th()
    {
        Assert.Equal(new DateOnly(2026, 3, 12), Care.Anniversary("a", new DateOnly(2024, 3, 12), Today, Today.AddDays(7))!.DueOn);
        Assert.Contains("2 years", Care.Anniversary("a", new DateOnly(2024, 3, 12), Today, Today.AddDays(7))!.Reason);
        Assert.Null(Care.Anniversary("b", new DateOnly(2026, 3, 12), Today, Today.AddDays(7))); // first order not a year ago
        Assert.Null(Care.Anniversary("c", new DateOnly(2025, 3, 9), Today, Today.AddDays(7))); // yesterday
        Assert.Equal(new DateOnly(2027, 2, 28), Care.Anniversary("d", new DateOnly(2024, 2, 29), new DateOnly(2027, 2, 25), new DateOnly(2027, 3, 5))!.DueOn);
    }

    [Fact]
    public void Win_back_needs_both_a_valuable_customer_and_a_low_p_alive()
    {
        Assert.NotNull(Care.WinBack("a", 0.12, 80, new DateOnly(2025, 10, 1), Today, 0.3, 60));
        Assert.Null(Care.WinBack("b", 0.12, 40, null, Today, 0.3, 60));
        Assert.Null(Care.WinBack("c", 0.7, 90, null, Today, 0.3, 60));
        Assert.Null(Care.WinBack("d", null, 90, null, Today, 0.3, 60));
        Assert.Contains("P(alive) is 0.12, under 0.30", Care.WinBack("a", 0.12, 80, null, Today, 0.3, 60)!.Reason);
    }

    [Fact]
    public void Follow_ups_and_festival_campaigns_are_due_in_their_windows()
    {
        Assert.Equal(new DateOnly(2026, 3, 11), Care.FollowUp("a", "s1", "o1", new DateOnly(2026, 3, 8), Today, Today.AddDays(7), 3, 14)!.DueOn);
        Assert.Null(Care.FollowUp("a", "s1", "o2", new DateOnly(2026, 1, 1), Today, Today.AddDays(7), 3, 14));
        Festival[] calendar = [new("Hari Raya", new DateOnly(2026, 3, 20), 14), new("11.11", new DateOnly(2026, 11, 11), 10), new("Valentine", new DateOnly(2026, 2, 14), 7)];
        var festival = Assert.Single(Care.Campaigns(calendar, Today, Today.AddDays(7)));
        Assert.Equal("Hari Raya", festival.Name);
        Assert.Equal(new DateOnly(2026, 3, 6), Care.Festival("a", festival, "Gold").DueOn);
    }
}
