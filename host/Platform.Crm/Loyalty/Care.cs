using System.Globalization;

namespace Platform.Crm.Loyalty;

/// <summary>Kinds of care moments.</summary>
public static class CareType
{
    public const string Anniversary = "anniversary", Replenishment = "replenishment", WinBack = "winback", FollowUp = "followup", Festival = "festival";
    public static IReadOnlyList<string> All { get; } = [Anniversary, Replenishment, WinBack, FollowUp, Festival];
}

/// <summary>A care moment: who, when it is due, why in words, and the numbers behind it.</summary>
public sealed record CareItem(string Type, string CustomerId, DateOnly DueOn, string Reason, IReadOnlyDictionary<string, object?> Numbers);

/// <summary>One purchase of a SKU by a customer (a day: several on one day count once).</summary>
public sealed record SkuPurchase(string CustomerId, string Sku, DateOnly Day);

/// <summary>A festival of the campaign calendar: customers are due <see cref="LeadDays"/> before it.</summary>
public sealed record Festival(string Name, DateOnly Date, int LeadDays);

/// <summary>
/// Care moments (crm.md section 3), pure and on an explicit day so they can be tested on a fixed clock. The host
/// lists those due up to a day; moments more than <c>staleDays</c> overdue are dropped (the moment has passed).
/// </summary>
public static class Care
{
    /// <summary>
    /// Each SKU's median repurchase interval in days: the gaps between a customer's consecutive purchase days of
    /// that SKU, over all customers; SKUs with fewer than <paramref name="minGaps"/> gaps have none (too little to tell).
    /// </summary>
    public static IReadOnlyDictionary<string, (double MedianDays, int Gaps)> RepurchaseIntervals(IEnumerable<SkuPurchase> purchases, int minGaps)
    {
        var gaps = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var group in purchases.GroupBy(p => (p.CustomerId, p.Sku)))
        {
            var days = group.Select(p => p.Day).Distinct().Order().ToList();
            if (days.Count < 2) continue;
            if (!gaps.TryGetValue(group.Key.Sku, out var list)) gaps[group.Key.Sku] = list = [];
            for (var i = 1; i < days.Count; i++) list.Add(days[i].DayNumber - days[i - 1].DayNumber);
        }
        return gaps.Where(kv => kv.Value.Count >= minGaps)
            .ToDictionary(kv => kv.Key, kv => (Median(kv.Value), kv.Value.Count), StringComparer.Ordinal);
    }

    /// <summary>Replenishment: a customer's last purchase of a SKU plus the SKU's median interval, due by <paramref name="until"/>.</summary>
    public static IEnumerable<CareItem> Replenishment(IEnumerable<SkuPurchase> purchases, IReadOnlyDictionary<string, (double MedianDays, int Gaps)> intervals,
        DateOnly today, DateOnly until, int staleDays)
    {
        foreach (var group in purchases.Where(p => intervals.ContainsKey(p.Sku)).GroupBy(p => (p.CustomerId, p.Sku)))
        {
            var last = group.Max(p => p.Day);
            var (median, gaps) = intervals[group.Key.Sku];
            var due = last.AddDays((int)Math.Round(median));
            if (due > until || due < today.AddDays(-staleDays)) continue;
            yield return new CareItem(CareType.Replenishment, group.Key.CustomerId, due,
                $"bought {group.Key.Sku} last on {last:yyyy-MM-dd}; its buyers buy it again every {median.ToString("0.#", CultureInfo.InvariantCulture)} days (median of {gaps} repeat purchases), so due {due:yyyy-MM-dd}",
                new Dictionary<string, object?> { ["sku"] = group.Key.Sku, ["lastPurchase"] = last, ["medianIntervalDays"] = median, ["repeatPurchases"] = gaps });
        }
    }

    /// <summary>The first-order anniversary (one year or more) falling between <paramref name="today"/> and <paramref name="until"/>.</summary>
    public static CareItem? Anniversary(string customerId, DateOnly firstOrder, DateOnly today, DateOnly until)
    {
        for (var years = Math.Max(1, today.Year - firstOrder.Year); years <= until.Year - firstOrder.Year; years++)
        {
            var day = firstOrder.AddYears(years); // 29 February falls on 28 February in other years
            if (day < today || day > until) continue;
            return new CareItem(CareType.Anniversary, customerId, day, $"{years} year{(years == 1 ? "" : "s")} since the first order on {firstOrder:yyyy-MM-dd}",
                new Dictionary<string, object?> { ["firstOrder"] = firstOrder, ["years"] = years });
        }
        return null;
    }

    /// <summary>
    /// Win-back: a valuable customer (composite score at least <paramref name="minScore"/>) whose P(alive) fell under
    /// <paramref name="maxPAlive"/>; due today.
    /// </summary>
    public static CareItem? WinBack(string customerId, double? pAlive, double score, DateOnly? lastOrder, DateOnly today, double maxPAlive, double minScore)
    {
        if (pAlive is not { } p || p >= maxPAlive || score < minScore) return null;
        return new CareItem(CareType.WinBack, customerId, today,
            $"valuable (score {score.ToString("0.#", CultureInfo.InvariantCulture)}) but P(alive) is {p.ToString("0.00", CultureInfo.InvariantCulture)}, under {maxPAlive.ToString("0.00", CultureInfo.InvariantCulture)}" +
            (lastOrder is { } l ? $"; last order {l:yyyy-MM-dd}" : ""),
            new Dictionary<string, object?> { ["pAlive"] = Math.Round(p, 4), ["score"] = score, ["lastOrder"] = lastOrder, ["threshold"] = maxPAlive });
    }

    /// <summary>Post-delivery follow-up: <paramref name="afterDays"/> after an order was delivered.</summary>
    public static CareItem? FollowUp(string customerId, string store, string order, DateOnly deliveredOn, DateOnly today, DateOnly until, int afterDays, int staleDays)
    {
        var due = deliveredOn.AddDays(afterDays);
        if (due > until || due < today.AddDays(-staleDays)) return null;
        return new CareItem(CareType.FollowUp, customerId, due, $"order {order} in {store} was delivered on {deliveredOn:yyyy-MM-dd}: ask how it went",
            new Dictionary<string, object?> { ["store"] = store, ["order"] = order, ["deliveredOn"] = deliveredOn });
    }

    /// <summary>Festivals whose campaign starts (date − lead days) by <paramref name="until"/> and that have not passed.</summary>
    public static IEnumerable<Festival> Campaigns(IEnumerable<Festival> calendar, DateOnly today, DateOnly until) =>
        calendar.Where(f => f.Date >= today && f.Date.AddDays(-f.LeadDays) <= until);

    public static CareItem Festival(string customerId, Festival festival, string tier) =>
        new(CareType.Festival, customerId, festival.Date.AddDays(-festival.LeadDays),
            $"{festival.Name} on {festival.Date:yyyy-MM-dd}: campaign for {tier} members from {festival.Date.AddDays(-festival.LeadDays):yyyy-MM-dd}",
            new Dictionary<string, object?> { ["festival"] = festival.Name, ["date"] = festival.Date, ["tier"] = tier });

    private static double Median(List<int> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
