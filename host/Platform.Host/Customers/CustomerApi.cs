using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Customers;

public static class CustomerApi
{
    public static RouteGroupBuilder MapCustomerApi(this RouteGroupBuilder merchant)
    {
        var customers = merchant.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/", List);
        customers.MapGet("/{id}", Profile);
        customers.MapGet("/{id}/timeline", Timeline);
        merchant.MapGet("/orders", Orders).WithTags("Records");
        merchant.MapGet("/reviews", Reviews).WithTags("Records");
        merchant.MapGet("/messages", Messages).WithTags("Records");
        return merchant;
    }

    private static async Task<IResult> List(string m, string? q, string? store, DateTimeOffset? lastOrderFrom, DateTimeOffset? lastOrderTo, string? tier,
        string? segment, string? sort, int? page, int? pageSize, CustomerQueries queries, Microsoft.Extensions.Options.IOptions<PlatformOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        if (sort is not null && !CustomerQueries.Sorts.Contains(sort)) errors["sort"] = [$"'{sort}' is not a sort: use {string.Join(", ", CustomerQueries.Sorts)}"];
        if (q is { Length: > 200 }) errors["q"] = ["is longer than 200 characters"];
        if (lastOrderFrom > lastOrderTo) errors["lastOrderFrom"] = ["must not be after lastOrderTo"];
        string? tierName = null, segmentName = null;
        if (!string.IsNullOrWhiteSpace(tier))
        {
            var policy = options.Value.Value.Tiers.ToPolicy();
            var index = policy.IndexOf(tier.Trim());
            if (index < 0) errors["tier"] = [$"'{tier}' is not a tier: use {string.Join(", ", policy.Levels.Select(l => l.Name))}"];
            else tierName = policy.Levels[index].Name;
        }
        if (!string.IsNullOrWhiteSpace(segment))
        {
            segmentName = Platform.Host.Value.Segments.Parse(segment);
            if (segmentName is null) errors["segment"] = [$"'{segment}' is not an RFM segment: use {string.Join(", ", Platform.Host.Value.Segments.All)}"];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);
        return TypedResults.Ok(await queries.ListAsync(m, new CustomerFilter(q, store, lastOrderFrom, lastOrderTo, tierName, segmentName), sort ?? "lastOrder", paging, ct));
    }

    private static async Task<IResult> Profile(string m, string id, CustomerQueries queries, CancellationToken ct) =>
        await queries.ProfileAsync(m, id, ct) is { } profile ? TypedResults.Ok(profile) : Problems.NotFound($"customer '{id}' does not exist");

    private static async Task<IResult> Timeline(string m, string id, int? page, int? pageSize, CustomerQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);
        return await queries.TimelineAsync(m, id, paging, ct) is { } timeline ? TypedResults.Ok(timeline) : Problems.NotFound($"customer '{id}' does not exist");
    }

    /// <summary>A record list filter: <c>store</c>, <c>customer</c> (resolved to its buyer accounts), <c>from</c>/<c>to</c>, paging.</summary>
    private sealed record RecordFilter(string? Store, string[]? Accounts, DateTimeOffset? From, DateTimeOffset? To, PageRequest Paging);

    private static async Task<(RecordFilter? Filter, IResult? Error)> ParseAsync(PlatformDbContext db, string m, string? store, string? customer,
        DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        if (from is not null && to is not null && from > to) errors["from"] = ["must not be after 'to'"];
        if (errors.Count > 0) return (null, Problems.Invalid(errors));
        if (customer is null) return (new RecordFilter(store, null, from, to, paging), null);
        if (await CustomerQueries.AccountsOfAsync(db, m, customer, ct) is not { } accounts) return (null, Problems.NotFound($"customer '{customer}' does not exist"));
        return (new RecordFilter(store, accounts.Select(a => a.Store + AccountSeparator + a.Buyer).ToArray(), from, to, paging), null);
    }

    private const string AccountSeparator = CustomerQueries.AccountSeparator;

    /// <summary>One page of orders, reviews or messages with the customer each belongs to, newest first.</summary>
    private static async Task<(List<(T Row, string? Customer)> Rows, int Total)> PageAsync<T>(PlatformDbContext db, string m, RecordFilter filter,
        Expression<Func<T, DateTimeOffset>> at, CancellationToken ct) where T : class, IBuyerRecord
    {
        var rows = db.Set<T>().Where(r => r.MerchantId == m);
        if (filter.Store is not null) rows = rows.Where(r => r.StoreId == filter.Store);
        if (filter.From is { } from) rows = rows.Where(Compare(at, from, ExpressionType.GreaterThanOrEqual));
        if (filter.To is { } to) rows = rows.Where(Compare(at, to, ExpressionType.LessThan));
        if (filter.Accounts is { } accounts) rows = rows.Where(r => r.BuyerId != null && accounts.Contains(r.StoreId + AccountSeparator + r.BuyerId));
        var total = await rows.CountAsync(ct);
        var pageRows = rows.OrderByDescending(at).ThenBy(r => r.ExternalId).Skip(filter.Paging.Skip).Take(filter.Paging.PageSize);
        var joined = await (from r in pageRows
                            join b in db.Buyers on new { r.MerchantId, r.StoreId, BuyerId = r.BuyerId! } equals new { b.MerchantId, b.StoreId, b.BuyerId } into bs
                            from b in bs.DefaultIfEmpty()
                            select new { Row = r, Customer = b == null ? null : b.CustomerId }).ToListAsync(ct);
        var time = at.Compile();
        return (joined.OrderByDescending(x => time(x.Row)).ThenBy(x => x.Row.ExternalId, StringComparer.Ordinal).Select(x => (x.Row, (string?)x.Customer)).ToList(), total);
    }

    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, DateTimeOffset>> at, DateTimeOffset value, ExpressionType op) =>
        Expression.Lambda<Func<T, bool>>(Expression.MakeBinary(op, at.Body, Expression.Constant(value)), at.Parameters);

    private static async Task<IResult> Orders(string m, string? store, string? customer, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (filter, error) = await ParseAsync(db, m, store, customer, from, to, page, pageSize, ct);
        if (filter is null) return error!;
        var (rows, total) = await PageAsync<OrderRow>(db, m, filter, o => o.CreatedAt, ct);
        var lines = new List<OrderLineRow>();
        foreach (var g in rows.GroupBy(r => r.Row.StoreId))
        {
            var ids = g.Select(x => x.Row.ExternalId).ToList();
            lines.AddRange(await db.OrderLines.Where(l => l.MerchantId == m && l.StoreId == g.Key && ids.Contains(l.OrderExternalId)).ToListAsync(ct));
        }
        var lookup = lines.ToLookup(l => (l.StoreId, l.OrderExternalId));
        return TypedResults.Ok(new Paged<OrderView>(rows.Select(x => RecordViews.Order(x.Row, lookup[(x.Row.StoreId, x.Row.ExternalId)], x.Customer)).ToList(),
            total, filter.Paging.Page, filter.Paging.PageSize));
    }

    private static async Task<IResult> Reviews(string m, string? store, string? customer, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (filter, error) = await ParseAsync(db, m, store, customer, from, to, page, pageSize, ct);
        if (filter is null) return error!;
        var (rows, total) = await PageAsync<ReviewRow>(db, m, filter, r => r.CreatedAt, ct);
        return TypedResults.Ok(new Paged<ReviewView>(rows.Select(x => RecordViews.Review(x.Row, x.Customer)).ToList(), total, filter.Paging.Page, filter.Paging.PageSize));
    }

    private static async Task<IResult> Messages(string m, string? store, string? customer, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (filter, error) = await ParseAsync(db, m, store, customer, from, to, page, pageSize, ct);
        if (filter is null) return error!;
        var (rows, total) = await PageAsync<MessageRow>(db, m, filter, x => x.SentAt, ct);
        return TypedResults.Ok(new Paged<MessageView>(rows.Select(x => RecordViews.Message(x.Row, x.Customer)).ToList(), total, filter.Paging.Page, filter.Paging.PageSize));
    }
}
