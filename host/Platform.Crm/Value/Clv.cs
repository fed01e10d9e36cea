namespace Platform.Crm.Value;

/// <summary>How CLV is computed.</summary>
/// <param name="Months">Horizon in months (12 for the value model).</param>
/// <param name="MonthlyDiscountRate">Discount per month: month m is divided by (1 + rate)^m.</param>
/// <param name="DaysPerUnit">Length of the models' time unit in days (7 when the summaries are in weeks).</param>
public sealed record ClvOptions(int Months = 12, double MonthlyDiscountRate = 0.01, double DaysPerUnit = 7)
{
    public static ClvOptions Default { get; } = new();

    internal void Validate()
    {
        if (Months is < 0 or > 1200) throw new ArgumentException($"Months must be in 0..1200, got {Months}.", nameof(Months));
        if (!double.IsFinite(MonthlyDiscountRate) || MonthlyDiscountRate <= -1)
            throw new ArgumentException($"MonthlyDiscountRate must be > −1, got {MonthlyDiscountRate}.", nameof(MonthlyDiscountRate));
        if (!double.IsFinite(DaysPerUnit) || DaysPerUnit <= 0)
            throw new ArgumentException($"DaysPerUnit must be a positive number, got {DaysPerUnit}.", nameof(DaysPerUnit));
    }
}

/// <summary>
/// Customer lifetime value over a horizon: Σ_{m=1..M} (E[Y(t_m)] − E[Y(t_{m−1})]) × E(M) / (1 + d)^m, with t_m the
/// end of month m in the model's time unit (a month is 365.25/12 days).
/// </summary>
public static class Clv
{
    /// <summary>Days in an average month.</summary>
    public const double DaysPerMonth = 365.25 / 12;

    /// <summary>The end of month <paramref name="month"/> in model time units.</summary>
    public static double MonthEnd(int month, double daysPerUnit) => month * DaysPerMonth / daysPerUnit;

    /// <summary>
    /// Discounted value from any cumulative purchase curve: <paramref name="cumulativePurchases"/>(t) is the expected
    /// number of purchases in the next t units (it must be 0 at 0 and non-decreasing).
    /// </summary>
    public static double Discounted(Func<double, double> cumulativePurchases, double averageSpend, ClvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cumulativePurchases);
        options ??= ClvOptions.Default;
        options.Validate();
        if (!double.IsFinite(averageSpend) || averageSpend < 0)
            throw new ArgumentException($"averageSpend must be a finite number ≥ 0, got {averageSpend}.", nameof(averageSpend));
        double value = 0, previous = 0;
        for (var m = 1; m <= options.Months; m++)
        {
            var cumulative = cumulativePurchases(MonthEnd(m, options.DaysPerUnit));
            value += Math.Max(0, cumulative - previous) * averageSpend / Math.Pow(1 + options.MonthlyDiscountRate, m);
            previous = Math.Max(previous, cumulative);
        }
        return value;
    }

    /// <summary>CLV of a customer from the two fits (each uses its documented fallback when not fitted).</summary>
    public static double Compute(BgNbdFit purchases, GammaGammaFit spend, CustomerSummary customer, ClvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(customer);
        var averageSpend = spend.ExpectedAverageSpend(customer);
        return Discounted(t => purchases.ExpectedPurchases(customer, t), averageSpend, options);
    }

    /// <summary>CLV of a customer from model parameters.</summary>
    public static double Compute(BgNbd purchases, GammaGamma spend, CustomerSummary customer, ClvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(customer);
        var averageSpend = spend.ExpectedAverageSpend(customer.X, customer.Zbar);
        return Discounted(t => purchases.ExpectedPurchases(customer, t), averageSpend, options);
    }
}
