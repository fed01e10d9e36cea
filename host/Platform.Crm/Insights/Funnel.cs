namespace Platform.Crm.Insights;

/// <summary>One order: who placed it and when. Each record is one order.</summary>
public sealed record FunnelOrder(string CustomerKey, DateTimeOffset OrderedAt);

/// <summary>
/// One month of the buyer funnel; <see cref="Funnel.Monthly"/> defines each figure. <see cref="ReturnRate"/> =
/// <see cref="NewWhoReturned"/> / <see cref="NewBuyers"/> and <see cref="LoyalRate"/> = <see cref="NewWhoBecameLoyal"/> /
/// <see cref="NewBuyers"/> (0 when there are no new buyers).
/// </summary>
public sealed record FunnelMonth(int Year, int Month, int NewBuyers, int RepeatBuyers, int LoyalMembers, int ActiveBuyers, int NewWhoReturned, int NewWhoBecameLoyal,
    double ReturnRate, double LoyalRate);

/// <summary>New → repeat → loyal buyers per month, and how each month's new buyers converted since.</summary>
public static class Funnel
{
    /// <summary>
    /// One entry per UTC calendar month that [<paramref name="from"/>, <paramref name="to"/>) touches, oldest first,
    /// months without orders included (zeros). A month's period is the month clipped to the window (only the first
    /// and last month can be partial). The report is as of <paramref name="to"/>: orders at or after it are ignored;
    /// orders before <paramref name="from"/> are history (pass them all). Per period:
    /// <list type="bullet">
    /// <item><see cref="FunnelMonth.ActiveBuyers"/>: customers with an order in the period.</item>
    /// <item><see cref="FunnelMonth.NewBuyers"/>: customers whose first order ever is in the period.</item>
    /// <item><see cref="FunnelMonth.RepeatBuyers"/>: active customers who had ordered before the period, or ordered
    /// twice or more in it. A new buyer with two orders in their first month is both new and repeat, so
    /// New + Repeat ≥ Active, and every active buyer is new or repeat.</item>
    /// <item><see cref="FunnelMonth.LoyalMembers"/>: active customers whose orders ever, counted to the end of the
    /// period, reach <paramref name="loyalAfterOrders"/>.</item>
    /// <item><see cref="FunnelMonth.NewWhoReturned"/> / <see cref="FunnelMonth.NewWhoBecameLoyal"/>: of the period's new
    /// buyers, those with a second order / with <paramref name="loyalAfterOrders"/> orders by <paramref name="to"/>
    /// (in any month, that one included).</item>
    /// </list>
    /// Customers are compared ordinally.
    /// </summary>
    public static IReadOnlyList<FunnelMonth> Monthly(IEnumerable<FunnelOrder> orders, DateTimeOffset from, DateTimeOffset to, int loyalAfterOrders = 3)
    {
        ArgumentNullException.ThrowIfNull(orders);
        if (from >= to) throw new ArgumentException($"from ({from:O}) must be before to ({to:O}).", nameof(from));
        if (loyalAfterOrders < 2)
            throw new ArgumentException($"loyalAfterOrders must be at least 2 (a first order cannot make a member loyal), got {loyalAfterOrders}.", nameof(loyalAfterOrders));

        var byCustomer = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var o in orders)
        {
            if (o?.CustomerKey is null) throw new ArgumentException("An order or its CustomerKey is null.", nameof(orders));
            if (o.OrderedAt >= to) continue;
            if (!byCustomer.TryGetValue(o.CustomerKey, out var times)) byCustomer[o.CustomerKey] = times = [];
            times.Add(o.OrderedAt.UtcTicks);
        }

        var first = MonthIndex(from.UtcTicks);
        var months = MonthIndex(to.UtcTicks - 1) - first + 1;
        var acc = new Acc[months];
        foreach (var times in byCustomer.Values)
        {
            times.Sort();
            var total = times.Count;
            // Walk the customer's orders in the window, one period at a time; i is the 0-based order number.
            var i = times.BinarySearch(from.UtcTicks);
            if (i < 0) i = ~i;
            else while (i > 0 && times[i - 1] == from.UtcTicks) i--;
            while (i < total)
            {
                var m = MonthIndex(times[i]) - first;
                var start = i;
                while (i < total && MonthIndex(times[i]) - first == m) i++;
                ref var a = ref acc[m];
                a.Active++;
                if (start == 0)
                {
                    a.New++;
                    if (total >= 2) a.NewReturned++;
                    if (total >= loyalAfterOrders) a.NewLoyal++;
                }
                if (start > 0 || i - start >= 2) a.Repeat++;
                if (i >= loyalAfterOrders) a.Loyal++;
            }
        }

        var result = new FunnelMonth[months];
        for (var m = 0; m < months; m++)
        {
            var a = acc[m];
            var (year, month) = Math.DivRem(first + m, 12);
            result[m] = new FunnelMonth(year, month + 1, a.New, a.Repeat, a.Loyal, a.Active, a.NewReturned, a.NewLoyal,
                a.New == 0 ? 0 : (double)a.NewReturned / a.New, a.New == 0 ? 0 : (double)a.NewLoyal / a.New);
        }
        return result;
    }

    /// <summary>Year·12 + (month − 1) of a UTC instant given in ticks.</summary>
    private static int MonthIndex(long utcTicks)
    {
        var d = new DateTime(utcTicks, DateTimeKind.Utc);
        return d.Year * 12 + d.Month - 1;
    }

    private struct Acc
    {
        public int New, Repeat, Loyal, Active, NewReturned, NewLoyal;
    }
}
