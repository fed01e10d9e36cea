using Platform.Crm.Value;
using Xunit;

namespace Platform.Crm.Tests.Value;

public sealed class ClvTests
{
    private static readonly BgNbd Published = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void Discounts_each_month()
    {
        // One purchase a month (curve in days), 10 per purchase.
        Func<double, double> monthly = t => t / Clv.DaysPerMonth;
        var days = new ClvOptions(DaysPerUnit: 1, MonthlyDiscountRate: 0);
        Assert.Equal(120, Clv.Discounted(monthly, 10, days), 9);
        var discounted = Clv.Discounted(monthly, 10, days with { MonthlyDiscountRate = 0.01 });
        Assert.Equal(Enumerable.Range(1, 12).Sum(m => 10 / Math.Pow(1.01, m)), discounted, 9);
        Assert.Equal(0, Clv.Discounted(monthly, 10, days with { Months = 0 }));
    }

    [Fact]
    public void Month_ends_are_in_the_model_unit()
    {
        var seen = new List<double>();
        Clv.Discounted(t => { seen.Add(t); return 0; }, 1);
        Assert.Equal(12, seen.Count);
        Assert.Equal(365.25 / 7, seen[^1], 9); // weeks by default
        Assert.Equal(365.25 / 12, Clv.MonthEnd(1, 1), 12);
    }

    [Fact]
    public void Clv_from_the_models_is_purchases_times_spend()
    {
        var spend = new GammaGamma(6.25, 3.74, 15.44);
        var c = new CustomerSummary("1", 2, 30.43, 38.86, 22.35);
        var clv = Clv.Compute(Published, spend, c, new ClvOptions(MonthlyDiscountRate: 0));
        var expected = Published.ExpectedPurchases(c, 365.25 / 7) * spend.ExpectedAverageSpend(2, 22.35);
        Assert.Equal(expected, clv, 9);
        // In days instead of weeks: α scales with the unit, the CLV does not change.
        var inDays = new BgNbd(0.243, 4.414 * 7, 0.793, 2.426);
        var cDays = c with { Tx = c.Tx * 7, T = c.T * 7 };
        Assert.Equal(clv, Clv.Compute(inDays, spend, cDays, new ClvOptions(MonthlyDiscountRate: 0, DaysPerUnit: 1)), 9);
    }

    [Fact]
    public void Next_purchase_time_by_bisection()
    {
        Assert.Equal(2, NextOrder.TimeToPurchases(t => 0.5 * t, 10)!.Value, 1e-8);
        Assert.Null(NextOrder.TimeToPurchases(t => 0.05 * t, 10));
        // A customer who has probably left never reaches one expected purchase.
        var gone = new CustomerSummary("gone", 10, 5, 78);
        var fit = Cdnow.BgNbdFit;
        Assert.True(fit.ProbabilityAlive(10, 5, 78) < 0.01);
        Assert.Null(NextOrder.TimeToNextPurchase(fit, gone, 104));
        Assert.Null(NextOrder.ExpectedDate(fit, gone, new DateOnly(2024, 1, 1)));
    }

    [Fact]
    public void Fallback_next_purchase_uses_the_observed_rate()
    {
        var fit = BgNbd.Fit([new CustomerSummary("a", 4, 30, 40)]);
        Assert.False(fit.IsFitted);
        Assert.Equal(10, NextOrder.TimeToNextPurchase(fit, new CustomerSummary("a", 4, 30, 40), 52)!.Value, 1e-6);
        Assert.Equal(new DateOnly(2024, 3, 11), NextOrder.ExpectedDate(fit, new CustomerSummary("a", 4, 30, 40), new DateOnly(2024, 1, 1)));
    }

    [Fact]
    public void Median_interval_of_a_replenishment_buyer()
    {
        var d = new DateOnly(2024, 1, 1);
        // A 10 kg bag of rice about every 30 days (two orders on one day count once): gaps 29, 31, 30.
        DateOnly[] rice = [d, d.AddDays(29), d.AddDays(29), d.AddDays(60), d.AddDays(90)];
        Assert.Equal(30, NextOrder.MedianIntervalDays(rice));
        Assert.Equal(d.AddDays(120), NextOrder.ReplenishmentDue(rice));
        Assert.Equal(30.5, NextOrder.MedianIntervalDays([.. rice, d.AddDays(121)])); // gaps 29, 30, 31, 31
        Assert.Null(NextOrder.MedianIntervalDays([d, d]));
        Assert.Null(NextOrder.ReplenishmentDue([]));
        Assert.Equal(15, NextOrder.MedianIntervalDays([d.AddDays(30), d, d.AddDays(10)])); // gaps 10, 20
    }
}
