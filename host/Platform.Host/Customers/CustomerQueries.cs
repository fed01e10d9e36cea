using Microsoft.EntityFrameworkCore;
using Platform.Crm.Identity;
using Platform.Crm.Text;
using Platform.Host.Infrastructure;
using Platform.Host.Merchants;
using Platform.Host.Storage;

namespace Platform.Host.Customers;

public sealed record CustomerSummary(string Id, string? Name, string? Email, string? Phone, IReadOnlyList<string> Stores,
    int Orders, decimal Revenue, string Currency, DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt,
    string? Tier, string? Segment, double? Score, decimal? Clv, bool KeyAccount);

public sealed record IdentityView(string Kind, string Value, string Store);
public sealed record CustomerStoreView(string Id, string Plugin, string BuyerId, int Orders, DateTimeOffset? FirstSeenAt, DateTimeOffset? LastSeenAt);
public sealed record StatsView(int Orders, decimal Revenue, string Currency, DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt, decimal AverageOrderValue, int UnconvertedOrders);
public sealed record AddressView(string? City, string? PostalCode, string? Country, string Store, DateTimeOffset SeenAt);
public sealed record CustomerProfile(string Id, string? RequestedId, string? Name, string? Email, string? Phone,
    IReadOnlyList<IdentityView> Identities, IReadOnlyList<CustomerStoreView> Stores, string? PreferredStore, StatsView Stats, IReadOnlyList<AddressView> Addresses,
    object? Value, object? Tier, object? Points, object? Service, DateTimeOffset CreatedAt);

/// <summary>Customer list filters: <c>q</c> search text, a store, last order date bounds (from inclusive, to exclusive), member tier, RFM segment.</summary>
public sealed record CustomerFilter(string? Q, string? Store, DateTimeOffset? LastOrderFrom, DateTimeOffset? LastOrderTo, string? Tier = null, string? Segment = null);

public sealed record SimilarCustomer(string Id, string? Name, string? Email, IReadOnlyList<string> Stores, string Reason);

public sealed record TimelineItem(string Type, DateTimeOffset At, string Store, string Id, string Summary, object Detail);

/// <summary>Reads of the customer projections for the API (and later the console).</summary>
public sealed class CustomerQueries(IDbContextFactory<PlatformDbContext> factory, MerchantDirectory merchants, Platform.Host.Value.ValueViews values,
    Microsoft.Extensions.Options.IOptions<PlatformOptions> pointsOptions, Platform.Host.Service.ServiceViews service)
{
    public static readonly string[] Sorts = ["lastOrder", "revenue", "orders", "name", "created", "score", "clv"];

    /// <summary>Up to this many hits a search page always sorts the hits (and does not count the customers to decide).</summary>
    private const int FewHits = 200;

    /// <summary>
    /// Whether a search page with more than <see cref="FewHits"/> hits should walk the sort's index and keep the hits
    /// instead of sorting the hits: the walk reads about customers × (rows up to the page's end) / hits index entries
    /// before the page is full, sorting looks up every hit, so the two cost the same near √(customers × page end).
    /// </summary>
    private static bool WalkBeatsSorting(int hits, long customers, int pageEnd) =>
        hits > Math.Sqrt((double)Math.Max(1, customers) * Math.Max(1, pageEnd));

    // Search SQL: {0} is the merchant, {1} the FTS phrase or LIKE pattern. The conditions are these two constants,
    // never user input, so composing them into the SQL is safe (the analyzer cannot tell).
    private const string HitsByMatch = "customer_search MATCH {1}";
    private const string HitsByLike = "s.text LIKE {1}";

    // PostgreSQL: the hits are search rows, each mapped to its customer by customer_search_rows.
    private static string HitCustomers(string hits) => $$"""
        SELECT c.* FROM customer_search s
        CROSS JOIN customer_search_rows r ON r.search_rowid = s.rowid
        CROSS JOIN customers c ON c.merchant_id = r.merchant_id AND c.id = r.customer_id
        WHERE {{hits}} AND r.merchant_id = {0}
        """;

    private static string CountHits(string hits) => $$"""
        SELECT COUNT(*) AS "Value" FROM customer_search s
        CROSS JOIN customer_search_rows r ON r.search_rowid = s.rowid
        WHERE {{hits}} AND r.merchant_id = {0}
        """;

    private static string CustomersAmongHits(string hits) => $$"""
        SELECT * FROM customers
        WHERE merchant_id = {0} AND merged_into IS NULL AND id IN (
          SELECT r.customer_id FROM customer_search s
          CROSS JOIN customer_search_rows r ON r.search_rowid = s.rowid
          WHERE {{hits}} AND r.merchant_id = {0})
        """;

    // SQLite: the merchant's hits are the FTS rows in its rowid range, and a hit's rowid less the range's base is its
    // customer's sequence (see SearchIndex), so neither counting nor finding the hits looks each one up in
    // customer_search_rows. The CROSS JOINs fix the order: the merchant's range, the FTS index, then customers by key.
    private static readonly string MerchantHits = $"b.merchant_id = {{0}} AND s.rowid >= b.base AND s.rowid < b.base + {SearchIndex.RangeSize}";

    private static string SqliteHitCustomers(string hits) => $$"""
        SELECT c.* FROM customer_search_merchants b
        CROSS JOIN customer_search s
        CROSS JOIN customers c ON c.merchant_id = b.merchant_id AND c.sequence = s.rowid - b.base
        WHERE {{MerchantHits}} AND {{hits}}
        """;

    private static string SqliteCountHits(string hits) => $$"""
        SELECT COUNT(*) AS "Value" FROM customer_search_merchants b
        CROSS JOIN customer_search s
        WHERE {{MerchantHits}} AND {{hits}}
        """;

    // The hits' rowids are one set of integers; the customers are walked in the sort's index order and each is kept
    // when its base + sequence is in the set (an expression, so SQLite does not look the hits up by key instead).
    private static string SqliteCustomersAmongHits(string hits) => $$"""
        SELECT * FROM customers
        WHERE merchant_id = {0} AND merged_into IS NULL
          AND sequence + (SELECT base FROM customer_search_merchants WHERE merchant_id = {0}) IN (
            SELECT s.rowid FROM customer_search_merchants b CROSS JOIN customer_search s WHERE {{MerchantHits}} AND {{hits}})
        """;

    public async Task<Paged<CustomerSummary>> ListAsync(string m, CustomerFilter filter, string sort, PageRequest paging, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var customers = db.Customers.Where(c => c.MerchantId == m && c.MergedInto == null);
        var postgres = SqlDialect.IsPostgres(db.Database);
        string? hits = null;
        object? pattern = null;
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            // The search index finds the customers (partial names, emails, phones in any format, buyer ids). Only
            // live customers with accounts have a search row (merges and erasures remove theirs).
            var match = SearchIndex.Match(filter.Q.Trim(), out var like);
            if (postgres) match = null; // no FTS5: the trigram index serves the pattern
            hits = match is not null ? HitsByMatch : postgres ? SearchIndex.PostgresCondition : HitsByLike;
            pattern = match ?? like;
            // The hits drive the query (CROSS JOIN fixes SQLite's join order): search rows first, then each hit's
            // customer by key. Left to the planner, it may walk every customer by last order and test each one.
            customers = db.Customers.FromSqlRaw(SqlDialect.For(db.Database, postgres ? HitCustomers(hits) : SqliteHitCustomers(hits)), m, pattern).Where(c => c.MergedInto == null);
        }
        var filtered = !string.IsNullOrWhiteSpace(filter.Store) || filter.LastOrderFrom is not null || filter.LastOrderTo is not null
                       || filter.Tier is not null || filter.Segment is not null;
        if (filter.Tier is { } tier) customers = customers.Where(c => db.CustomerScores.Any(s => s.MerchantId == m && s.CustomerId == c.Id && s.Tier == tier));
        if (filter.Segment is { } segment) customers = customers.Where(c => db.CustomerScores.Any(s => s.MerchantId == m && s.CustomerId == c.Id && s.Segment == segment));
        if (!string.IsNullOrWhiteSpace(filter.Store))
            customers = customers.Where(c => db.Buyers.Any(b => b.MerchantId == m && b.CustomerId == c.Id && b.StoreId == filter.Store));
        if (filter.LastOrderFrom is { } from) customers = customers.Where(c => c.LastOrderAt >= from);
        if (filter.LastOrderTo is { } to) customers = customers.Where(c => c.LastOrderAt < to);
        var total = hits is not null && !filtered
            ? await db.Database.SqlQueryRaw<int>(SqlDialect.For(db.Database, postgres ? CountHits(hits) : SqliteCountHits(hits)), m, pattern!).SingleAsync(ct) // no customer rows needed
            : await customers.CountAsync(ct);
        if (hits is not null && !filtered && total > FewHits && sort is "lastOrder" or "created"
            && WalkBeatsSorting(total, await db.Customers.Where(c => c.MerchantId == m).MaxAsync(c => (long?)c.Sequence, ct) ?? 0, paging.Skip + paging.PageSize))
            // Many hits: walking the merchant's customers in the sort's index order and keeping the hits fills a
            // page long before every hit is sorted ("+id" keeps SQLite from looking the hits up by key instead).
            customers = db.Customers.FromSqlRaw(SqlDialect.For(db.Database, postgres ? CustomersAmongHits(hits) : SqliteCustomersAmongHits(hits)), m, pattern!);
        customers = sort switch
        {
            "revenue" => customers.OrderByDescending(c => c.Revenue).ThenBy(c => c.Sequence),
            "orders" => customers.OrderByDescending(c => c.Orders).ThenBy(c => c.Sequence),
            "name" => customers.OrderBy(c => c.Name == null).ThenBy(c => c.Name).ThenBy(c => c.Sequence),
            "created" => customers.OrderBy(c => c.Sequence),
            // Scored customers first, best first; the unscored (none before the first scoring) after them.
            "score" => customers.OrderByDescending(c => db.CustomerScores.Where(s => s.MerchantId == m && s.CustomerId == c.Id).Select(s => (double?)s.Score).FirstOrDefault())
                .ThenBy(c => c.Sequence),
            "clv" => customers.OrderByDescending(c => db.CustomerScores.Where(s => s.MerchantId == m && s.CustomerId == c.Id).Select(s => (decimal?)s.Clv).FirstOrDefault())
                .ThenBy(c => c.Sequence),
            _ => customers.OrderByDescending(c => c.LastOrderAt).ThenBy(c => c.Sequence),
        };
        var rows = await customers.Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var stores = (await db.Buyers.Where(b => b.MerchantId == m && ids.Contains(b.CustomerId!)).Select(b => new { b.CustomerId, b.StoreId }).ToListAsync(ct))
            .GroupBy(b => b.CustomerId!).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.StoreId).Distinct().Order().ToList());
        var scores = await db.CustomerScores.AsNoTracking().Where(s => s.MerchantId == m && ids.Contains(s.CustomerId)).ToDictionaryAsync(s => s.CustomerId, ct);
        var currency = await merchants.CurrencyAsync(m);
        return new Paged<CustomerSummary>(rows.Select(c =>
        {
            var s = scores.GetValueOrDefault(c.Id);
            return new CustomerSummary(c.Id, c.Name, c.Email, c.Phone, stores.GetValueOrDefault(c.Id, []), c.Orders, c.Revenue, currency, c.FirstOrderAt, c.LastOrderAt,
                s?.Tier, s?.Segment, s?.Score, s?.Clv, s?.KeyAccount ?? false);
        }).ToList(), total, paging.Page, paging.PageSize);
    }

    /// <summary>Joins a store and a buyer id into one key, for filtering rows by a customer's accounts in one <c>IN</c> list.</summary>
    public const string AccountSeparator = "\u001f";

    /// <summary>The buyer accounts of a customer (following merges); null when the customer does not exist.</summary>
    public static async Task<List<(string Store, string Buyer)>?> AccountsOfAsync(PlatformDbContext db, string m, string customer, CancellationToken ct)
    {
        var c = await ResolveAsync(db, m, customer, ct);
        if (c is null) return null;
        return (await db.Buyers.AsNoTracking().Where(b => b.MerchantId == m && b.CustomerId == c.Id).Select(b => new { b.StoreId, b.BuyerId }).ToListAsync(ct))
            .Select(b => (b.StoreId, b.BuyerId)).ToList();
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
            .Select(b => new AddressView(b.City, b.PostalCode, b.Country, b.StoreId, b.UpdatedAt)).ToList();
        var activity = await ActivityAsync(db, m, buyers, ct);
        var stores = buyers.Select(b =>
        {
            var seen = activity.GetValueOrDefault((b.StoreId, b.BuyerId));
            return new CustomerStoreView(b.StoreId, plugins.GetValueOrDefault(b.StoreId, b.Marketplace), b.BuyerId, seen.Orders, seen.First, seen.Last);
        }).ToList();
        // The store the person buys from most; on a tie, the one they used last.
        var preferred = stores.GroupBy(s => s.Id)
            .Select(g => (Store: g.Key, Orders: g.Sum(x => x.Orders), Last: g.Max(x => x.LastSeenAt)))
            .OrderByDescending(x => x.Orders).ThenByDescending(x => x.Last).ThenBy(x => x.Store, StringComparer.Ordinal)
            .Select(x => x.Store).FirstOrDefault();
        var (value, tier) = await values.ForAsync(db, m, c.Id, currency, ct);
        var ledger = await Platform.Host.Value.PointsApi.EntriesOfAsync(db, m, c.Id, ct);
        var points = Platform.Host.Value.PointsApi.Summary(ledger.Select(e => e.Entry).ToList(), pointsOptions.Value.Value.Points.ExpiryMonths, DateTimeOffset.UtcNow);
        var serviceSummary = await service.SummaryAsync(db, m, buyers.Select(b => (b.StoreId, b.BuyerId)).ToList(), ct);
        return new CustomerProfile(c.Id, c.Id == id ? null : id, c.Name, c.Email, c.Phone, identities, stores, preferred,
            stats, addresses, value, tier, points, serviceSummary, c.CreatedAt);
    }

    /// <summary>First and last activity (order placed, review written, message sent) of each account in its store.</summary>
    private static async Task<Dictionary<(string Store, string Buyer), (int Orders, DateTimeOffset? First, DateTimeOffset? Last)>> ActivityAsync(
        PlatformDbContext db, string m, IReadOnlyList<BuyerRow> buyers, CancellationToken ct)
    {
        var result = new Dictionary<(string, string), (int, DateTimeOffset?, DateTimeOffset?)>();
        foreach (var b in buyers)
        {
            var orders = await db.Orders.Where(o => o.MerchantId == m && o.StoreId == b.StoreId && o.BuyerId == b.BuyerId).Select(o => o.CreatedAt).ToListAsync(ct);
            var times = orders.Concat(await db.Reviews.Where(r => r.MerchantId == m && r.StoreId == b.StoreId && r.BuyerId == b.BuyerId).Select(r => r.CreatedAt)
                .Concat(db.Messages.Where(x => x.MerchantId == m && x.StoreId == b.StoreId && x.BuyerId == b.BuyerId).Select(x => x.SentAt))
                .ToListAsync(ct)).ToList();
            result[(b.StoreId, b.BuyerId)] = times.Count == 0 ? (0, null, null) : (orders.Count, times.Min(), times.Max());
        }
        return result;
    }

    /// <summary>
    /// Possible duplicates: other customers with an account of the same folded name and the same city or postal code.
    /// They share no identifier (or resolution would have merged them), so they are only listed, never merged.
    /// </summary>
    public async Task<IReadOnlyList<SimilarCustomer>?> SimilarAsync(string m, string id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var c = await ResolveAsync(db, m, id, ct);
        if (c is null) return null;
        var mine = await db.Buyers.Where(b => b.MerchantId == m && b.CustomerId == c.Id && b.NameKey != null).ToListAsync(ct);
        var names = mine.Select(b => b.NameKey!).Distinct().ToList();
        var candidates = await db.Buyers.Where(b => b.MerchantId == m && b.NameKey != null && names.Contains(b.NameKey) && b.CustomerId != null && b.CustomerId != c.Id).ToListAsync(ct);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var other in candidates)
            foreach (var b in mine.Where(b => b.NameKey == other.NameKey))
            {
                var place = SamePlace(b, other);
                if (place is null || found.ContainsKey(other.CustomerId!)) continue;
                found[other.CustomerId!] = $"same name '{b.Name}' and {place}, no shared identifier";
            }
        var ids = found.Keys.ToList();
        var rows = await db.Customers.Where(x => x.MerchantId == m && ids.Contains(x.Id) && x.MergedInto == null).ToListAsync(ct);
        var stores = (await db.Buyers.Where(b => b.MerchantId == m && ids.Contains(b.CustomerId!)).Select(b => new { b.CustomerId, b.StoreId }).ToListAsync(ct))
            .ToLookup(x => x.CustomerId!, x => x.StoreId);
        return rows.OrderBy(x => x.Sequence).Select(x => new SimilarCustomer(x.Id, x.Name, x.Email, stores[x.Id].Distinct().Order().ToList(), found[x.Id])).ToList();

        static string? SamePlace(BuyerRow a, BuyerRow b)
        {
            if (a.PostalCode is { Length: > 0 } pa && TextFold.Fold(pa) == TextFold.Fold(b.PostalCode)) return $"postal code {pa}";
            if (a.City is { Length: > 0 } ca && TextFold.Fold(ca) == TextFold.Fold(b.City)) return $"city {ca}";
            return null;
        }
    }

    /// <summary>Everything held about a person: profile, accounts as given, records with raw payloads, history.</summary>
    public async Task<object?> ExportAsync(string m, string id, CancellationToken ct)
    {
        var profile = await ProfileAsync(m, id, ct);
        if (profile is null) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        var accounts = await db.Buyers.Where(b => b.MerchantId == m && b.CustomerId == profile.Id).OrderBy(b => b.StoreId).ThenBy(b => b.BuyerId).ToListAsync(ct);
        var orders = new List<OrderView>();
        var reviews = new List<ReviewView>();
        var messages = new List<MessageView>();
        var raw = new List<object>();
        foreach (var store in accounts.GroupBy(a => a.StoreId))
        {
            var buyerIds = store.Select(a => a.BuyerId).ToList();
            var storeOrders = await db.Orders.Where(o => o.MerchantId == m && o.StoreId == store.Key && buyerIds.Contains(o.BuyerId)).ToListAsync(ct);
            var orderIds = storeOrders.Select(o => o.ExternalId).ToList();
            var lines = (await db.OrderLines.Where(l => l.MerchantId == m && l.StoreId == store.Key && orderIds.Contains(l.OrderExternalId)).ToListAsync(ct)).ToLookup(l => l.OrderExternalId);
            orders.AddRange(storeOrders.Select(o => RecordViews.Order(o, lines[o.ExternalId], profile.Id)));
            var storeReviews = await db.Reviews.Where(r => r.MerchantId == m && r.StoreId == store.Key && (buyerIds.Contains(r.BuyerId!) || orderIds.Contains(r.OrderExternalId!))).ToListAsync(ct);
            reviews.AddRange(storeReviews.Select(r => RecordViews.Review(r, profile.Id)));
            var storeMessages = await db.Messages.Where(x => x.MerchantId == m && x.StoreId == store.Key && buyerIds.Contains(x.BuyerId)).ToListAsync(ct);
            messages.AddRange(storeMessages.Select(x => RecordViews.Message(x, profile.Id)));
            foreach (var (stream, ids) in new[] { ("orders", orderIds), ("reviews", storeReviews.Select(r => r.ExternalId).ToList()), ("chats", storeMessages.Select(x => x.ExternalId).ToList()) })
                foreach (var chunk in ids.Chunk(500))
                    raw.AddRange((await db.RawRecords.Where(r => r.MerchantId == m && r.StoreId == store.Key && r.Stream == stream && chunk.Contains(r.ExternalId)).ToListAsync(ct))
                        .Select(r => new { store = r.StoreId, stream = r.Stream, id = r.ExternalId, changedAt = r.ChangedAt, json = System.Text.Json.JsonDocument.Parse(r.Json).RootElement }));
        }
        var events = await db.CustomerEvents.Where(e => e.MerchantId == m && e.CustomerId == profile.Id).OrderBy(e => e.At).ToListAsync(ct);
        var cases = await Platform.Host.Service.ServiceViews.CasesOfAsync(db, m, accounts.Select(a => (a.StoreId, a.BuyerId)).ToList(), ct);
        var caseIds = cases.Select(k => k.Id).ToList();
        var caseEvents = (await db.CaseEvents.AsNoTracking().Where(e => e.MerchantId == m && caseIds.Contains(e.CaseId)).ToListAsync(ct)).ToLookup(e => e.CaseId);
        return new
        {
            exportedAt = DateTimeOffset.UtcNow,
            merchant = m,
            profile,
            accounts = accounts.Select(a => new
            {
                store = a.StoreId, marketplace = a.Marketplace, buyerId = a.BuyerId, name = a.Name, email = a.EmailRaw, phone = a.PhoneRaw,
                normalizedEmail = a.Email, normalizedPhone = a.Phone, country = a.Country, city = a.City, postalCode = a.PostalCode,
                firstSeenAt = a.FirstSeenAt, updatedAt = a.UpdatedAt, splitOff = a.SplitGroup is not null,
            }),
            orders,
            reviews,
            messages,
            history = events.Select(e => new { kind = e.Kind, text = e.Text, at = e.At }),
            cases = cases.OrderBy(k => k.OpenedAt).Select(k => new
            {
                id = k.Id, store = k.StoreId, channel = k.Channel, status = k.Status, triggers = k.Triggers, summary = k.Summary, openedAt = k.OpenedAt,
                firstResponseAt = k.FirstResponseAt, resolvedAt = k.ResolvedAt, assignee = k.Assignee,
                events = caseEvents[k.Id].OrderBy(e => e.At).Select(e => new { at = e.At, kind = e.Kind, text = e.Text, by = e.By }),
            }),
            rawRecords = raw,
        };
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
        // Cases: when each opened and, if it did, when it was resolved.
        var cases = await Platform.Host.Service.ServiceViews.CasesOfAsync(db, m, accounts.Select(a => (a.StoreId, a.BuyerId)).ToList(), ct);
        foreach (var k in cases)
        {
            var detail = new { @case = k.Id, channel = k.Channel, status = k.Status, triggers = k.Triggers.Split(','), summary = k.Summary };
            items.Add(new TimelineItem("case", k.OpenedAt, k.StoreId, $"case-{k.Id}",
                $"Case {k.Id} opened ({k.Triggers.Replace(",", ", ", StringComparison.Ordinal)}): {Shorten(k.Summary)}", detail));
            if (k.ResolvedAt is { } resolved)
                items.Add(new TimelineItem("case_resolved", resolved, k.StoreId, $"case-{k.Id}-resolved",
                    $"Case {k.Id} resolved {(k.ResolvedByHand ? "by hand" : "by the buyer's reply")}", detail));
        }
        var points = await db.PointsLedger.AsNoTracking().Where(p => p.MerchantId == m && p.CustomerId == c.Id).ToListAsync(ct);
        items.AddRange(points.Select(p => new TimelineItem("points", p.At, StoreOf(p.Source), $"points-{p.Id}",
            $"{(p.Points > 0 ? "+" : "")}{p.Points} points: {p.Reason}", new { kind = p.Kind, points = p.Points, source = p.Source, reason = p.Reason })));
        var ordered = items.OrderByDescending(i => i.At).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        return new Paged<TimelineItem>(ordered.Skip(paging.Skip).Take(paging.PageSize).ToList(), ordered.Count, paging.Page, paging.PageSize);
    }

    /// <summary>The store in a ledger source (<c>order:s1:1001</c> → s1); empty for manual entries.</summary>
    private static string StoreOf(string source)
    {
        var parts = source.Split(':');
        var offset = parts[0] == "expiry" ? 1 : 0;
        return parts.Length >= offset + 3 && parts[offset] is "order" or "review" or "reversal" ? parts[offset + 1] : "";
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "…";
}
