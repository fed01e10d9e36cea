namespace Platform.Crm.Value;

/// <summary>When a customer is expected to buy again.</summary>
public static class NextOrder
{
    /// <summary>
    /// The time t ≤ <paramref name="horizon"/> at which <paramref name="cumulativePurchases"/>(t) reaches
    /// <paramref name="target"/> (bisection; the curve must be non-decreasing), or null when it does not within
    /// the horizon — for example because the customer has probably left.
    /// </summary>
    public static double? TimeToPurchases(Func<double, double> cumulativePurchases, double horizon, double target = 1)
    {
        ArgumentNullException.ThrowIfNull(cumulativePurchases);
        CustomerSummary.ValidateHorizon(horizon, nameof(horizon));
        if (!double.IsFinite(target) || target <= 0)
            throw new ArgumentException($"target must be a positive number, got {target}.", nameof(target));
        if (!(cumulativePurchases(horizon) >= target)) return null;
        double lo = 0, hi = horizon;
        for (var i = 0; i < 200 && hi - lo > 1e-9 * Math.Max(1, hi); i++)
        {
            var mid = 0.5 * (lo + hi);
            if (cumulativePurchases(mid) >= target) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /// <summary>Time (model units) until the customer's expected purchases reach one, or null beyond the horizon.</summary>
    public static double? TimeToNextPurchase(BgNbdFit fit, CustomerSummary customer, double horizon)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(customer);
        CustomerSummary.ValidateFinite(customer.X, customer.Tx, customer.T);
        return TimeToPurchases(t => fit.ExpectedPurchases(customer, t), horizon);
    }

    /// <summary>
    /// The date at which the customer's expected purchases since <paramref name="asOf"/> (the end of the data the
    /// summary was built from) reach one, or null when that is more than <paramref name="horizonDays"/> away.
    /// </summary>
    public static DateOnly? ExpectedDate(BgNbdFit fit, CustomerSummary customer, DateOnly asOf, double daysPerUnit = 7,
        double horizonDays = 730)
    {
        if (!double.IsFinite(daysPerUnit) || daysPerUnit <= 0)
            throw new ArgumentException($"daysPerUnit must be a positive number, got {daysPerUnit}.", nameof(daysPerUnit));
        CustomerSummary.ValidateHorizon(horizonDays, nameof(horizonDays));
        var t = TimeToNextPurchase(fit, customer, horizonDays / daysPerUnit);
        return t is { } units ? asOf.AddDays((int)Math.Ceiling(units * daysPerUnit - 1e-6)) : null;
    }

    /// <summary>
    /// Median days between consecutive distinct purchase days (the replenishment cycle: a 10 kg bag of rice every
    /// ~30 days gives 30), or null with fewer than two distinct days.
    /// </summary>
    public static double? MedianIntervalDays(IEnumerable<DateOnly> purchaseDates)
    {
        ArgumentNullException.ThrowIfNull(purchaseDates);
        var days = purchaseDates.Select(d => d.DayNumber).Distinct().Order().ToArray();
        if (days.Length < 2) return null;
        var gaps = new int[days.Length - 1];
        for (var i = 1; i < days.Length; i++) gaps[i - 1] = days[i] - days[i - 1];
        Array.Sort(gaps);
        var mid = gaps.Length / 2;
        return gaps.Length % 2 == 1 ? gaps[mid] : 0.5 * (gaps[mid - 1] + gaps[mid]);
    }

    /// <summary>Last purchase day plus the median interval (rounded up), or null with fewer than two distinct days.</summary>
    public static DateOnly? ReplenishmentDue(IEnumerable<DateOnly> purchaseDates)
    {
        ArgumentNullException.ThrowIfNull(purchaseDates);
        var dates = purchaseDates as IReadOnlyCollection<DateOnly> ?? purchaseDates.ToList();
        return MedianIntervalDays(dates) is { } median ? dates.Max().AddDays((int)Math.Ceiling(median)) : null;
    }
}
