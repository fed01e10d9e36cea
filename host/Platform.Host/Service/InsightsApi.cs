using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Crm.Insights;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Merchants;
using Platform.Host.Storage;

namespace Platform.Host.Service;

/// <summary>
/// Insights over the stored orders (crm.md section 5): <c>GET /insights/hot-products</c>, <c>GET /insights/bought-together</c>
/// and <c>GET /insights/funnel</c>. Sales are orders with a revenue status (paid, shipped, delivered, completed), in the
/// merchant's currency at the rate of the order's day; lines in a currency without a rate are left out and counted.
/// </summary>
public static class InsightsApi
{
    public static RouteGroupBuilder MapInsightsApi(this RouteGroupBuilder merchant)
    {
        var insights = merchant.MapGroup("/insights").WithTags("Insights");
        insights.MapGet("/hot-products", HotProductsAsync);
        insights.MapGet("/bought-together", BoughtTogetherAsync);
        insights.MapGet("/funnel", FunnelAsync);
        insights.MapGet("/revenue", RevenueAsync);
        return merchant;
    }

    /// <summary>Revenue and orders per store per calendar month (UTC), in the merchant's currency: the overview's chart.</summary>
    private static async Task<IResult> RevenueAsync(string m, int? months, IDbContextFactory<PlatformDbContext> factory, MerchantDirectory merchants,
        IOptions<PlatformOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (months is < 1 or > 120) return Problems.Invalid(new Dictionary<string, string[]> { ["months"] = ["use 1 to 120 months, e.g. 12"] });
        var now = clock.GetUtcNow();
        var first = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-((months ?? 12) - 1));
        var labels = Enumerable.Range(0, months ?? 12).Select(i => first.AddMonths(i).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var currency = await merchants.CurrencyAsync(m);
        var rates = options.Value.ExchangeRates;
        var byStore = new SortedDictionary<string, (decimal[] Revenue, int[] Orders)>(StringComparer.Ordinal);
        var unconverted = 0;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await Sql.EachAsync(db.Database.GetDbConnection(), null, $"""
            SELECT store_id, created_at, currency, total FROM orders
            WHERE merchant_id = @m AND created_at >= @from AND status IN ({RevenueList})
            """, [("@m", m), ("@from", first.ToUnixTimeMilliseconds())], r =>
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1));
                var index = (at.Year - first.Year) * 12 + at.Month - first.Month;
                if (index < 0 || index >= labels.Count) return;
                var total = Money.FromStored(r.GetInt64(3));
                var orderCurrency = r.GetString(2);
                var converted = orderCurrency == currency ? total : rates.Convert(total, orderCurrency, currency, DateOnly.FromDateTime(at.UtcDateTime));
                if (converted is null) { unconverted++; return; }
                var store = r.GetString(0);
                if (!byStore.TryGetValue(store, out var series)) byStore[store] = series = (new decimal[labels.Count], new int[labels.Count]);
                series.Revenue[index] += converted.Value;
                series.Orders[index]++;
            }, ct);
        return TypedResults.Ok(new
        {
            currency, months = labels, unconvertedOrders = unconverted,
            stores = byStore.Select(s => new { store = s.Key, revenue = s.Value.Revenue.Select(v => decimal.Round(v, 2)), orders = s.Value.Orders }),
        });
    }

    /// <summary>Repeat rates and review averages look back this far before the window.</summary>
    private const int HistoryDays = 365;

    private static async Task<IResult> HotProductsAsync(string m, int? days, string? store, int? top, IDbContextFactory<PlatformDbContext> factory,
        MerchantDirectory merchants, IOptions<PlatformOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (days is < 1 or > 3660) errors["days"] = ["use 1 to 3660 days, e.g. 28"];
        if (top is < 1 or > 500) errors["top"] = ["use 1 to 500"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var now = clock.GetUtcNow();
        var from = now.AddDays(-(days ?? 28));
        await using var db = await factory.CreateDbContextAsync(ct);
        var currency = await merchants.CurrencyAsync(m);
        var sales = await SalesAsync(db, m, store, from.AddDays(-HistoryDays), now, currency, options.Value.ExchangeRates, ct);
        var firstOrders = await db.Customers.AsNoTracking().Where(c => c.MerchantId == m && c.MergedInto == null && c.LastOrderAt >= from && c.FirstOrderAt != null)
            .Select(c => new { c.Id, c.FirstOrderAt }).ToDictionaryAsync(c => c.Id, c => c.FirstOrderAt!.Value, ct);
        var reviewsQuery = db.Reviews.AsNoTracking().Where(r => r.MerchantId == m && r.Sku != null && r.CreatedAt >= from.AddDays(-HistoryDays));
        if (store is not null) reviewsQuery = reviewsQuery.Where(r => r.StoreId == store);
        var reviews = await reviewsQuery.Select(r => new ProductReview(r.Sku!, r.Rating)).ToListAsync(ct);
        var ranked = HotProducts.Rank(sales.Lines, firstOrders, reviews, from, now, top ?? 20);
        return TypedResults.Ok(new { from, to = now, currency, store, items = ranked, total = ranked.Count, unconvertedLines = sales.Unconverted });
    }

    private static async Task<IResult> BoughtTogetherAsync(string m, string? sku, int? days, string? store, double? minSupport, double? minConfidence, double? minLift,
        int? minCount, int? max, IDbContextFactory<PlatformDbContext> factory, MerchantDirectory merchants, IOptions<PlatformOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (days is < 1 or > 3660) errors["days"] = ["use 1 to 3660 days, e.g. 365"];
        var defaults = new RuleThresholds();
        var thresholds = new RuleThresholds(minSupport ?? defaults.MinSupport, minConfidence ?? defaults.MinConfidence, minLift ?? defaults.MinLift,
            minCount ?? defaults.MinCount, max ?? defaults.Max);
        if (errors.Count > 0) return Problems.Invalid(errors);
        var now = clock.GetUtcNow();
        var from = now.AddDays(-(days ?? 365));
        await using var db = await factory.CreateDbContextAsync(ct);
        var sales = await SalesAsync(db, m, store, from, now, await merchants.CurrencyAsync(m), options.Value.ExchangeRates, ct);
        var baskets = sales.Lines.GroupBy(l => l.OrderId, StringComparer.Ordinal).Select(g => new Basket(g.Key, g.Select(l => l.Sku).ToList())).ToList();
        IReadOnlyList<AssociationRule> rules;
        try
        {
            rules = BoughtTogether.Rules(baskets, thresholds, string.IsNullOrWhiteSpace(sku) ? null : sku.Trim());
        }
        catch (ArgumentException e)
        {
            // The thresholds' own checks name the field (MinSupport…); the query parameter is its camel-case name.
            var field = e.ParamName is { Length: > 0 } p ? char.ToLowerInvariant(p[0]) + p[1..] : "thresholds";
            return Problems.Invalid(new Dictionary<string, string[]> { [field] = [e.Message.Split(" (Parameter", 2)[0]] });
        }
        return TypedResults.Ok(new { from, to = now, store, sku, orders = baskets.Count, thresholds, items = rules, total = rules.Count });
    }

    private static async Task<IResult> FunnelAsync(string m, string? store, DateTimeOffset? from, DateTimeOffset? to, int? loyalAfter,
        IDbContextFactory<PlatformDbContext> factory, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var end = to ?? now;
        var start = from ?? new DateTimeOffset(end.Year, end.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-11);
        var errors = new Dictionary<string, string[]>();
        if (start >= end) errors["from"] = ["must be before 'to'"];
        if (loyalAfter is < 2 or > 1000) errors["loyalAfter"] = ["use 2 to 1000 orders, e.g. 3"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var conn = db.Database.GetDbConnection();
        var orders = new List<FunnelOrder>();
        // Every order before the end counts: a buyer is new in the month of their first order ever (with the merchant, or in the store asked for).
        await Sql.EachAsync(conn, null, $"""
            SELECT o.store_id, o.buyer_id, b.customer_id, o.created_at FROM orders o
            LEFT JOIN buyers b ON b.merchant_id = o.merchant_id AND b.store_id = o.store_id AND b.buyer_id = o.buyer_id
            WHERE o.merchant_id = @m AND o.created_at < @to AND o.status IN ({RevenueList}){(store is null ? "" : " AND o.store_id = @s")}
            """, [("@m", m), ("@to", end.ToUnixTimeMilliseconds()), ("@s", store)],
            r => orders.Add(new FunnelOrder(r.IsDBNull(2) ? $"{r.GetString(0)}/{r.GetString(1)}" : r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)))), ct);
        var months = Funnel.Monthly(orders, start, end, loyalAfter ?? 3);
        return TypedResults.Ok(new { from = start, to = end, store, loyalAfterOrders = loyalAfter ?? 3, months });
    }

    private static readonly string RevenueList = string.Join(", ", CustomerProjector.Revenue.Select(s => $"'{s}'"));

    /// <summary>Order lines of revenue orders created in [from, to), in the merchant's currency, each with its unified customer.</summary>
    private static async Task<(List<SaleLine> Lines, int Unconverted)> SalesAsync(PlatformDbContext db, string m, string? store, DateTimeOffset from, DateTimeOffset to,
        string currency, Platform.Crm.Money.ExchangeRates rates, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var conn = db.Database.GetDbConnection();
        var lines = new List<SaleLine>();
        var unconverted = 0;
        await Sql.EachAsync(conn, null, $"""
            SELECT o.store_id, o.external_id, o.buyer_id, b.customer_id, o.created_at, o.currency, l.sku, l.title, l.quantity, l.unit_price
            FROM orders o
            CROSS JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.store_id = o.store_id AND l.order_external_id = o.external_id
            LEFT JOIN buyers b ON b.merchant_id = o.merchant_id AND b.store_id = o.store_id AND b.buyer_id = o.buyer_id
            WHERE o.merchant_id = @m AND o.created_at >= @from AND o.created_at < @to AND o.status IN ({RevenueList}){(store is null ? "" : " AND o.store_id = @s")}
            """, [("@m", m), ("@from", from.ToUnixTimeMilliseconds()), ("@to", to.ToUnixTimeMilliseconds()), ("@s", store)], r =>
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4));
                var amount = Money.FromStored(r.GetInt64(9)) * r.GetInt32(8);
                var lineCurrency = r.GetString(5);
                var converted = lineCurrency == currency ? amount : rates.Convert(amount, lineCurrency, currency, DateOnly.FromDateTime(at.UtcDateTime));
                if (converted is null) { unconverted++; return; }
                var storeId = r.GetString(0);
                var customer = r.IsDBNull(3) ? $"{storeId}/{r.GetString(2)}" : r.GetString(3);
                lines.Add(new SaleLine($"{storeId}/{r.GetString(1)}", customer, at, r.GetString(6), r.GetString(7), r.GetInt32(8), decimal.Round(converted.Value, 2)));
            }, ct);
        return (lines, unconverted);
    }
}
