using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Crm.Loyalty;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Value;

/// <summary>A care moment as listed: type, customer, when it is due, why, and the numbers behind it.</summary>
public sealed record CareView(string Type, string Customer, string? Name, string? Tier, DateOnly DueOn, string Reason, IReadOnlyDictionary<string, object?> Numbers);

/// <summary>
/// <c>GET /care?type=&amp;due=</c>: the care moments due up to <c>due</c> (default a week from today), computed on
/// request from the stored orders and the last scoring (crm.md section 3): first-order anniversaries, replenishment
/// by each SKU's median repurchase interval, win-back of valuable customers whose P(alive) fell, follow-up after
/// delivery, and festival campaigns from <c>Platform:Value:Care:Festivals</c>. Birthdays are not listed: no
/// connector delivers them yet.
/// </summary>
public static class CareApi
{
    public static RouteGroupBuilder MapCareApi(this RouteGroupBuilder merchant)
    {
        merchant.MapGet("/care", List).WithTags("Value");
        return merchant;
    }

    private static async Task<IResult> List(string m, string? type, string? due, int? page, int? pageSize, IDbContextFactory<PlatformDbContext> factory,
        IOptions<PlatformOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var until = today.AddDays(7);
        if (type is not null && !CareType.All.Contains(type)) errors["type"] = [$"'{type}' is not a care type: use {string.Join(", ", CareType.All)}"];
        if (due is not null)
        {
            if (!DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out until))
                errors["due"] = [$"'{due}' is not a date: use yyyy-MM-dd, e.g. {today.AddDays(7):yyyy-MM-dd}"];
            else if (until < today) errors["due"] = [$"{due} is in the past: the list shows what is due from today ({today:yyyy-MM-dd}) up to this day"];
            else if (until > today.AddDays(366)) errors["due"] = ["looks more than a year ahead; use a closer day"];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var db = await factory.CreateDbContextAsync(ct);
        var items = await ItemsAsync(db, m, type, today, until, options.Value.Value, ct);
        var customers = items.Select(i => i.CustomerId).Distinct().ToList();
        var names = new Dictionary<string, (string? Name, string? Tier)>(StringComparer.Ordinal);
        foreach (var chunk in customers.Chunk(500))
        {
            var rows = await db.Customers.Where(c => c.MerchantId == m && chunk.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
            var tiers = await db.CustomerScores.Where(s => s.MerchantId == m && chunk.Contains(s.CustomerId)).Select(s => new { s.CustomerId, s.Tier }).ToDictionaryAsync(s => s.CustomerId, s => s.Tier, ct);
            foreach (var r in rows) names[r.Id] = (r.Name, tiers.GetValueOrDefault(r.Id));
        }
        var ordered = items.OrderBy(i => i.DueOn).ThenBy(i => i.Type, StringComparer.Ordinal).ThenBy(i => i.CustomerId, StringComparer.Ordinal).ToList();
        var pageItems = ordered.Skip(paging.Skip).Take(paging.PageSize)
            .Select(i => new CareView(i.Type, i.CustomerId, names.GetValueOrDefault(i.CustomerId).Name, names.GetValueOrDefault(i.CustomerId).Tier, i.DueOn, i.Reason, i.Numbers))
            .ToList();
        return TypedResults.Ok(new Paged<CareView>(pageItems, ordered.Count, paging.Page, paging.PageSize));
    }

    private static async Task<List<CareItem>> ItemsAsync(PlatformDbContext db, string m, string? type, DateOnly today, DateOnly until, ValueOptions o, CancellationToken ct)
    {
        bool Wanted(string t) => type is null || type == t;
        var items = new List<CareItem>();
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var revenue = string.Join(", ", CustomerProjector.Revenue.Select(s => $"'{s}'"));
        if (Wanted(CareType.Anniversary))
            await Sql.EachAsync(conn, null, "SELECT id, first_order_at FROM customers WHERE merchant_id = @m AND merged_into IS NULL AND first_order_at IS NOT NULL", [("@m", m)], r =>
            {
                if (Care.Anniversary(r.GetString(0), UnixMillisecondsConverter.UtcDay(r.GetInt64(1)), today, until) is { } item) items.Add(item);
            }, ct);
        if (Wanted(CareType.Replenishment))
        {
            var purchases = new List<SkuPurchase>();
            await Sql.EachAsync(conn, null, $"""
                SELECT b.customer_id, l.sku, o.created_at FROM buyers b
                CROSS JOIN orders o ON o.merchant_id = b.merchant_id AND o.store_id = b.store_id AND o.buyer_id = b.buyer_id
                CROSS JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.store_id = o.store_id AND l.order_external_id = o.external_id
                WHERE b.merchant_id = @m AND b.customer_id IS NOT NULL AND o.status IN ({revenue}) AND l.sku IS NOT NULL
                """, [("@m", m)], r => purchases.Add(new SkuPurchase(r.GetString(0), r.GetString(1), UnixMillisecondsConverter.UtcDay(r.GetInt64(2)))), ct);
            var intervals = Care.RepurchaseIntervals(purchases, o.Care.ReplenishmentMinRepeats);
            items.AddRange(Care.Replenishment(purchases, intervals, today, until, o.Care.StaleDays));
        }
        if (Wanted(CareType.WinBack))
            await Sql.EachAsync(conn, null, """
                SELECT s.customer_id, s.p_alive, s.score, c.last_order_at FROM customer_scores s
                JOIN customers c ON c.merchant_id = s.merchant_id AND c.id = s.customer_id
                WHERE s.merchant_id = @m AND s.p_alive IS NOT NULL
                """, [("@m", m)], r =>
            {
                DateOnly? last = r.IsDBNull(3) ? null : UnixMillisecondsConverter.UtcDay(r.GetInt64(3));
                if (Care.WinBack(r.GetString(0), r.GetDouble(1), r.GetDouble(2), last, today, o.Care.WinBackPAlive, o.Care.WinBackMinScore) is { } item) items.Add(item);
            }, ct);
        if (Wanted(CareType.FollowUp))
        {
            // Delivered orders (the status a connector reports at delivery; its time is the order's last update).
            var since = new DateTimeOffset(today.AddDays(-o.Care.StaleDays - o.Care.FollowUpAfterDays).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            await Sql.EachAsync(conn, null, $"""
                SELECT b.customer_id, o.store_id, o.external_id, o.updated_at FROM orders o
                CROSS JOIN buyers b ON b.merchant_id = o.merchant_id AND b.store_id = o.store_id AND b.buyer_id = o.buyer_id
                WHERE o.merchant_id = @m AND o.status = 'delivered' AND o.created_at >= {since - 90L * 86_400_000} AND o.updated_at >= {since} AND b.customer_id IS NOT NULL
                """, [("@m", m)], r =>
            {
                if (Care.FollowUp(r.GetString(0), r.GetString(1), r.GetString(2), UnixMillisecondsConverter.UtcDay(r.GetInt64(3)), today, until,
                        o.Care.FollowUpAfterDays, o.Care.StaleDays) is { } item) items.Add(item);
            }, ct);
        }
        if (Wanted(CareType.Festival))
        {
            var calendar = o.Care.Festivals.Select(f => (Festival: new Festival(f.Name, DateOnly.ParseExact(f.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), f.LeadDays), f.Tiers)).ToList();
            var policy = o.Tiers.ToPolicy();
            foreach (var festival in Care.Campaigns(calendar.Select(c => c.Festival), today, until))
            {
                var tiers = calendar.First(c => c.Festival == festival).Tiers;
                var targets = tiers.Count > 0 ? tiers : policy.Levels.Skip(1).Select(l => l.Name).ToList();
                var members = await db.CustomerScores.Where(s => s.MerchantId == m && targets.Contains(s.Tier)).Select(s => new { s.CustomerId, s.Tier }).ToListAsync(ct);
                items.AddRange(members.Select(x => Care.Festival(x.CustomerId, festival, x.Tier)));
            }
        }
        return items;
    }
}
