namespace Platform.Crm.Insights;

/// <summary>
/// One order line: the order (<paramref name="OrderId"/> identifies it across all the lines given, so the host makes it
/// unique across stores), its buyer and time, the SKU with its current title, units and revenue (merchant currency).
/// </summary>
public sealed record SaleLine(string OrderId, string CustomerKey, DateTimeOffset OrderedAt, string Sku, string Title, int Quantity, decimal Revenue);

/// <summary>One review of a SKU, on the host's rating scale (normally 1–5 stars).</summary>
public sealed record ProductReview(string Sku, int Rating);

/// <summary>
/// One product's figures in a window; <see cref="HotProducts.Rank"/> defines each one.
/// </summary>
public sealed record HotProduct(string Sku, string Title, int Units, decimal Revenue, int Orders, int Buyers, double FirstTimeBuyerShare,
    double RepeatRate, double? ReviewAverage, int Reviews, IReadOnlyList<WeeklySales> Weeks);

/// <summary>A product's sales in one ISO week (Monday to Sunday, UTC dates), clipped to the window.</summary>
public sealed record WeeklySales(DateOnly WeekStart, int Units, decimal Revenue);

/// <summary>The best-selling products of a window, with who bought them and how often they come back for them.</summary>
public static class HotProducts
{
    /// <summary>
    /// Products sold in [<paramref name="from"/>, <paramref name="to"/>), ranked by revenue, then units (both
    /// descending), then SKU (ordinal); the first <paramref name="top"/>. For each product, over the lines in the window:
    /// <list type="bullet">
    /// <item><see cref="HotProduct.Units"/> and <see cref="HotProduct.Revenue"/>: sums of the lines' quantity and
    /// revenue, as given (a negative line reduces them).</item>
    /// <item><see cref="HotProduct.Title"/>: the title on the latest line in the window (a renamed product shows its new name).</item>
    /// <item><see cref="HotProduct.Orders"/>: distinct orders holding the SKU; <see cref="HotProduct.Buyers"/>: distinct customers of those orders.</item>
    /// <item><see cref="HotProduct.FirstTimeBuyerShare"/>: the share of those orders that were their buyer's first order
    /// ever, i.e. placed at or before the customer's all-time first order time in <paramref name="firstOrderAt"/> (a
    /// customer missing there falls back to their earliest order among the lines given).</item>
    /// <item><see cref="HotProduct.RepeatRate"/>: the share of those buyers who bought this SKU in two or more distinct
    /// orders before <paramref name="to"/>, counting every line given (so lines before the window feed it; they
    /// feed nothing else).</item>
    /// <item><see cref="HotProduct.ReviewAverage"/> and <see cref="HotProduct.Reviews"/>: mean rating and number of
    /// all the reviews given for the SKU (null average when there are none).</item>
    /// <item><see cref="HotProduct.Weeks"/>: units and revenue per ISO week (Monday start, UTC dates), one entry for
    /// every week the window touches, zeros included, oldest first; the first and last weeks count only the part
    /// inside the window.</item>
    /// </list>
    /// SKUs, orders and customers are compared ordinally.
    /// </summary>
    public static IReadOnlyList<HotProduct> Rank(IEnumerable<SaleLine> lines, IReadOnlyDictionary<string, DateTimeOffset> firstOrderAt,
        IEnumerable<ProductReview> reviews, DateTimeOffset from, DateTimeOffset to, int top = 20)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(firstOrderAt);
        ArgumentNullException.ThrowIfNull(reviews);
        if (from >= to) throw new ArgumentException($"from ({from:O}) must be before to ({to:O}).", nameof(from));
        if (top < 1) throw new ArgumentException($"top must be at least 1, got {top}.", nameof(top));

        var firstWeek = WeekStart(from);
        var weekCount = (WeekStart(to.AddTicks(-1)).DayNumber - firstWeek.DayNumber) / 7 + 1;

        var products = new Dictionary<string, Product>(StringComparer.Ordinal);
        var orders = new Dictionary<(string Sku, string OrderId), (string Customer, DateTimeOffset At)>();
        var buyers = new Dictionary<(string Sku, string Customer), Buyer>();
        var earliest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var l in lines)
        {
            if (l is null || l.OrderId is null || l.CustomerKey is null || l.Sku is null)
                throw new ArgumentException("A line, or its OrderId, CustomerKey or Sku, is null.", nameof(lines));
            if (!earliest.TryGetValue(l.CustomerKey, out var e) || l.OrderedAt < e) earliest[l.CustomerKey] = l.OrderedAt;
            if (l.OrderedAt >= to) continue;
            var inWindow = l.OrderedAt >= from;

            if (!buyers.TryGetValue((l.Sku, l.CustomerKey), out var buyer))
                buyers[(l.Sku, l.CustomerKey)] = buyer = new Buyer { FirstOrderId = l.OrderId };
            else if (!buyer.Repeat && !string.Equals(buyer.FirstOrderId, l.OrderId, StringComparison.Ordinal)) buyer.Repeat = true;
            if (!inWindow) continue;
            buyer.InWindow = true;

            if (!products.TryGetValue(l.Sku, out var p))
                products[l.Sku] = p = new Product(weekCount) { Title = l.Title, TitleAt = l.OrderedAt };
            else if (l.OrderedAt > p.TitleAt || (l.OrderedAt == p.TitleAt && string.CompareOrdinal(l.Title, p.Title) > 0))
                (p.Title, p.TitleAt) = (l.Title, l.OrderedAt);
            p.Units += l.Quantity;
            p.Revenue += l.Revenue;
            var week = (WeekStart(l.OrderedAt).DayNumber - firstWeek.DayNumber) / 7;
            p.WeekUnits[week] += l.Quantity;
            p.WeekRevenue[week] += l.Revenue;

            if (!orders.TryGetValue((l.Sku, l.OrderId), out var o) || l.OrderedAt < o.At) orders[(l.Sku, l.OrderId)] = (l.CustomerKey, l.OrderedAt);
        }

        foreach (var ((sku, _), (customer, at)) in orders)
        {
            var p = products[sku];
            p.Orders++;
            var first = firstOrderAt.TryGetValue(customer, out var f) ? f : earliest[customer];
            if (at <= first) p.FirstOrders++;
        }
        foreach (var ((sku, _), b) in buyers)
        {
            if (!b.InWindow) continue;
            var p = products[sku];
            p.Buyers++;
            if (b.Repeat) p.RepeatBuyers++;
        }

        var ranked = products
            .OrderByDescending(kv => kv.Value.Revenue).ThenByDescending(kv => kv.Value.Units).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(top).ToList();
        var wanted = ranked.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var ratings = new Dictionary<string, (long Sum, int Count)>(StringComparer.Ordinal);
        foreach (var r in reviews)
        {
            if (r?.Sku is null) throw new ArgumentException("A review or its Sku is null.", nameof(reviews));
            if (!wanted.Contains(r.Sku)) continue;
            var (sum, count) = ratings.GetValueOrDefault(r.Sku);
            ratings[r.Sku] = (sum + r.Rating, count + 1);
        }

        return ranked.Select(kv =>
        {
            var (sku, p) = (kv.Key, kv.Value);
            var (sum, count) = ratings.GetValueOrDefault(sku);
            var weeks = new WeeklySales[weekCount];
            for (var w = 0; w < weekCount; w++) weeks[w] = new WeeklySales(firstWeek.AddDays(7 * w), p.WeekUnits[w], p.WeekRevenue[w]);
            return new HotProduct(sku, p.Title, p.Units, p.Revenue, p.Orders, p.Buyers,
                Share(p.FirstOrders, p.Orders), Share(p.RepeatBuyers, p.Buyers), count == 0 ? null : (double)sum / count, count, weeks);
        }).ToList();
    }

    /// <summary>The Monday starting the ISO week of the instant's UTC date.</summary>
    public static DateOnly WeekStart(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    private sealed class Product(int weeks)
    {
        public string Title = "";
        public DateTimeOffset TitleAt;
        public int Units, Orders, FirstOrders, Buyers, RepeatBuyers;
        public decimal Revenue;
        public readonly int[] WeekUnits = new int[weeks];
        public readonly decimal[] WeekRevenue = new decimal[weeks];
    }

    private sealed class Buyer
    {
        public string FirstOrderId = "";
        public bool Repeat, InWindow;
    }
}
