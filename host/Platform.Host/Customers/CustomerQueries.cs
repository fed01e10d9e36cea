using Microsoft.EntityFrameworkCore;
using Platform.Crm.Identity;
using Platform.Host.Infrastructure;
using Platform.Host.Merchants;
using Platform.Host.Storage;

namespace Platform.Host.Customers;

public sealed record CustomerSummary(string Id, string? Name, string? Email, string? Phone, IReadOnlyList<string> Stores,
    int Orders, decimal Revenue, string Currency, DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt);

public sealed record IdentityView(string Kind, string Value, string Store);
public sealed record CustomerStoreView(string Id, string Plugin, string BuyerId, DateTimeOffset? FirstSeenAt, DateTimeOffset? LastSeenAt);
public sealed record StatsView(int Orders, decimal Revenue, string Currency, DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt, decimal AverageOrderValue, int UnconvertedOrders);
public sealed record AddressView(string? City, string? Country, string Store, DateTimeOffset SeenAt);
public sealed record CustomerProfile(string Id, string? RequestedId, string? Name, string? Email, string? Phone,
    IReadOnlyList<IdentityView> Identities, IReadOnlyList<CustomerStoreView> Stores, StatsView Stats, IReadOnlyList<AddressView> Addresses,
    object? Value, object? Tier, object? Points, object? Service, DateTimeOffset CreatedAt);

public sealed record TimelineItem(string Type, DateTimeOffset At, string Store, string Id, string Summary, object Detail);

/// <summary>Reads of the customer projections for the API (and later the console).</summary>
public sealed class CustomerQueries(IDbContextFactory<PlatformDbContext> factory, MerchantDirectory merchants)
{
    public static readonly string[] Sorts = ["lastOrder", "revenue", "orders", "name", "created"];

    public async Task<Paged<CustomerSummary>> ListAsync(string m, string? q, string? store, string sort, PageRequest paging, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var customers = db.Customers.Where(c => c.MerchantId == m && c.MergedInto == null);
        if (!string.IsNullOrWhiteSpace(store))
            customers = customers.Where(c => db.Buyers.Any(b => b.MerchantId == m && b.CustomerId == c.Id && b.StoreId == store));
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            var lower = text.ToLowerInvariant();
            var digits = IdentifierNormalizer.PhoneDigits(text);
            var email = IdentifierNormalizer.NormalizeEmail(text);
            customers = customers.Where(c => db.Buyers.Any(b => b.MerchantId == m && b.CustomerId == c.Id && (
                b.BuyerId == text
                || (b.Name != null && b.Name.ToLower().Contains(lower))
                || (b.Email != null && (b.Email == email || b.Email.Contains(lower)))
                || (digits != null && b.Phone != null && b.Phone.Contains(digits)))));
        }
        var total = await customers.CountAsync(ct);
        customers = sort switch
        {
            "revenue" => customers.OrderByDescending(c => c.Revenue).ThenBy(c => c.Sequence),
            "orders" => customers.OrderByDescending(c => c.Orders).ThenBy(c => c.Sequence),
            "name" => customers.OrderBy(c => c.Name == null).ThenBy(c => c.Name).ThenBy(c => c.Sequence),
            "created" => customers.OrderBy(c => c.Sequence),
            _ => customers.OrderByDescending(c => c.LastOrderAt).ThenBy(c => c.Sequence),
        };
        var rows = await customers.Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var stores = (await db.Buyers.Where(b => b.MerchantId == m && ids.Contains(b.CustomerId!)).Select(b => new { b.CustomerId, b.StoreId }).Distinct().ToListAsync(ct))
            .GroupBy(b => b.CustomerId!).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.StoreId).Order().ToList());
        var currency = await merchants.CurrencyAsync(m);
        return new Paged<CustomerSummary>(rows.Select(c => new CustomerSummary(c.Id, c.Name, c.Email, c.Phone, stores.GetValueOrDefault(c.Id, []),
            c.Orders, c.Revenue, currency, c.FirstOrderAt, c.LastOrderAt)).ToList(), total, paging.Page, paging.PageSize);
    }

    /// <summary>The surviving customer of <paramref name="id"/>, following merges; null when unknown.</summary>
    public static async Task<CustomerRow?> ResolveAsync(PlatformDbContext db, string m, string id, CancellationToken ct)
    {
        for (var hops = 0; hops < 64; hops++)
        {
            var row = await db.Customers.FirstOrDefaultAsync(c => c.MerchantId == m && c.Id == id, ct);
            if (row?.MergedInto is null) return row;
            id = row.MergedInto;
        }
        return null;
    }

    public async Task<CustomerProfile?> ProfileAsync(string m, string id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var c = await ResolveAsync(db, m, id, ct);
        if (c is null) return null;
        var buyers = await db.Buyers.Where(b => b.MerchantId == m && b.CustomerId == c.Id).OrderBy(b => b.FirstSeenAt).ToListAsync(ct);
        var plugins = await db.Stores.Where(s => s.MerchantId == m).ToDictionaryAsync(s => s.StoreId, s => s.Plugin, ct);
        var identities = new List<IdentityView>();
        foreach (var b in buyers)
        {
            identities.Add(new IdentityView("buyer", b.BuyerId, b.StoreId));
            if (b.Email is not null) identities.Add(new IdentityView("email", b.Email, b.StoreId));
            if (b.Phone is not null) identities.Add(new IdentityView("phone", b.Phone, b.StoreId));
        }
        var currency = await merchants.CurrencyAsync(m);
        var stats = new StatsView(c.Orders, c.Revenue, currency, c.FirstOrderAt, c.LastOrderAt,
            c.Orders == 0 ? 0 : decimal.Round(c.Revenue / c.Orders, 2), c.UnconvertedOrders);
        var addresses = buyers.Where(b => b.City is not null || b.Country is not null).OrderByDescending(b => b.UpdatedAt)
            .Select(b => new AddressView(b.City, b.Country, b.StoreId, b.UpdatedAt)).ToList();
        var activity = await ActivityAsync(db, m, buyers, ct);
        return new CustomerProfile(c.Id, c.Id == id ? null : id, c.Name, c.Email, c.Phone, identities,
            buyers.Select(b =>
            {
                var seen = activity.GetValueOrDefault((b.StoreId, b.BuyerId));
                return new CustomerStoreView(b.StoreId, plugins.GetValueOrDefault(b.StoreId, b.Marketplace), b.BuyerId, seen.First, seen.Last);
            }).ToList(),
            stats, addresses, Value: null, Tier: null, Points: null, Service: null, c.CreatedAt);
    }

    /// <summary>First and last activity (order placed, review written, message sent) of each account in its store.</summary>
    private static async Task<Dictionary<(string Store, string Buyer), (DateTimeOffset? First, DateTimeOffset? Last)>> ActivityAsync(
        PlatformDbContext db, string m, IReadOnlyList<BuyerRow> buyers, CancellationToken ct)
    {
        var result = new Dictionary<(string, string), (DateTimeOffset?, DateTimeOffset?)>();
        foreach (var b in buyers)
        {
            var times = await db.Orders.Where(o => o.MerchantId == m && o.StoreId == b.StoreId && o.BuyerId == b.BuyerId).Select(o => o.CreatedAt)
                .Concat(db.Reviews.Where(r => r.MerchantId == m && r.StoreId == b.StoreId && r.BuyerId == b.BuyerId).Select(r => r.CreatedAt))
                .Concat(db.Messages.Where(x => x.MerchantId == m && x.StoreId == b.StoreId && x.BuyerId == b.BuyerId).Select(x => x.SentAt))
                .ToListAsync(ct);
            result[(b.StoreId, b.BuyerId)] = times.Count == 0 ? (null, null) : (times.Min(), times.Max());
        }
        return result;
    }

    public async Task<Paged<TimelineItem>?> TimelineAsync(string m, string id, PageRequest paging, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var c = await ResolveAsync(db, m, id, ct);
        if (c is null) return null;
        var accounts = await db.Buyers.Where(b => b.MerchantId == m && b.CustomerId == c.Id).Select(b => new { b.StoreId, b.BuyerId }).ToListAsync(ct);
        var items = new List<TimelineItem>();
        foreach (var store in accounts.GroupBy(a => a.StoreId))
        {
            var ids = store.Select(a => a.BuyerId).ToList();
            var orders = await db.Orders.Where(o => o.MerchantId == m && o.StoreId == store.Key && ids.Contains(o.BuyerId)).ToListAsync(ct);
            var orderIds = orders.Select(o => o.ExternalId).ToList();
            var lines = (await db.OrderLines.Where(l => l.MerchantId == m && l.StoreId == store.Key && orderIds.Contains(l.OrderExternalId)).ToListAsync(ct))
                .ToLookup(l => l.OrderExternalId);
            items.AddRange(orders.Select(o => new TimelineItem("order", o.CreatedAt, o.StoreId, o.ExternalId,
                $"Order {o.ExternalId}: {o.Total:0.00} {o.Currency}, {o.Status}", RecordViews.Order(o, lines[o.ExternalId]))));
            var reviews = await db.Reviews.Where(r => r.MerchantId == m && r.StoreId == store.Key && r.BuyerId != null && ids.Contains(r.BuyerId)).ToListAsync(ct);
            items.AddRange(reviews.Select(r => new TimelineItem("review", r.CreatedAt, r.StoreId, r.ExternalId,
                $"{r.Rating}★ review{(r.Sku is null ? "" : " of " + r.Sku)}: {Shorten(r.Text)}", RecordViews.Review(r))));
            var messages = await db.Messages.Where(x => x.MerchantId == m && x.StoreId == store.Key && ids.Contains(x.BuyerId)).ToListAsync(ct);
            items.AddRange(messages.Select(x => new TimelineItem("message", x.SentAt, x.StoreId, x.ExternalId,
                $"{(x.Direction == "inbound" ? "Buyer" : "Seller")}: {Shorten(x.Text)}", RecordViews.Message(x))));
        }
        var events = await db.CustomerEvents.Where(e => e.MerchantId == m && e.CustomerId == c.Id).ToListAsync(ct);
        items.AddRange(events.Select(e => new TimelineItem(e.Kind, e.At, "", $"event-{e.Id}", e.Text, new { kind = e.Kind, text = e.Text })));
        var ordered = items.OrderByDescending(i => i.At).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        return new Paged<TimelineItem>(ordered.Skip(paging.Skip).Take(paging.PageSize).ToList(), ordered.Count, paging.Page, paging.PageSize);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "…";
}
