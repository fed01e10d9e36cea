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

    private static async Task<IResult> List(string m, string? q, string? store, string? sort, int? page, int? pageSize, CustomerQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        if (sort is not null && !CustomerQueries.Sorts.Contains(sort)) errors["sort"] = [$"'{sort}' is not a sort: use {string.Join(", ", CustomerQueries.Sorts)}"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        return TypedResults.Ok(await queries.ListAsync(m, q, store, sort ?? "lastOrder", paging, ct));
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

    private sealed record Filter(PageRequest Paging, (string Store, string Buyer)[]? Accounts);

    /// <summary>Validates the common filters; resolves <c>customer</c> to its buyer accounts.</summary>
    private static async Task<(Filter? Filter, IResult? Error)> ParseAsync(PlatformDbContext db, string m, string? customer, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        if (from is not null && to is not null && from > to) errors["from"] = ["must not be after 'to'"];
        if (errors.Count > 0) return (null, Problems.Invalid(errors));
        if (customer is null) return (new Filter(paging, null), null);
        var c = await CustomerQueries.ResolveAsync(db, m, customer, ct);
        if (c is null) return (null, Problems.NotFound($"customer '{customer}' does not exist"));
        var accounts = await db.Buyers.Where(b => b.MerchantId == m && b.CustomerId == c.Id).Select(b => new { b.StoreId, b.BuyerId }).ToListAsync(ct);
        return (new Filter(paging, accounts.Select(a => (a.StoreId, a.BuyerId)).ToArray()), null);
    }

    private static async Task<IResult> Orders(string m, string? store, string? customer, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (filter, error) = await ParseAsync(db, m, customer, from, to, page, pageSize, ct);
        if (filter is null) return error!;
        var q = from o in db.Orders
                join b in db.Buyers on new { o.MerchantId, o.StoreId, o.BuyerId } equals new { b.MerchantId, b.StoreId, b.BuyerId } into bs
                from b in bs.DefaultIfEmpty()
                where o.MerchantId == m
                select new { o, Customer = b == null ? null : b.CustomerId };
        if (store is not null) q = q.Where(x => x.o.StoreId == store);
        if (from is not null) q = q.Where(x => x.o.CreatedAt >= from.Value);
        if (to is not null) q = q.Where(x => x.o.CreatedAt < to.Value);
        if (filter.Accounts is not null)
        {
            var keys = filter.Accounts.Select(a => a.Store + "\u001f" + a.Buyer).ToList();
            q = q.Where(x => keys.Contains(x.o.StoreId + "\u001f" + x.o.BuyerId));
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(x => x.o.CreatedAt).ThenBy(x => x.o.ExternalId).Skip(filter.Paging.Skip).Take(filter.Paging.PageSize).ToListAsync(ct);
        var byStore = rows.GroupBy(r => r.o.StoreId);
        var lines = new List<OrderLineRow>();
        foreach (var g in byStore)
        {
            var ids = g.Select(x => x.o.ExternalId).ToList();
            lines.AddRange(await db.OrderLines.Where(l => l.MerchantId == m && l.StoreId == g.Key && ids.Contains(l.OrderExternalId)).ToListAsync(ct));
        }
        var lookup = lines.ToLookup(l => (l.StoreId, l.OrderExternalId));
        return TypedResults.Ok(new Paged<OrderView>(rows.Select(x => RecordViews.Order(x.o, lookup[(x.o.StoreId, x.o.ExternalId)], x.Customer)).ToList(),
            total, filter.Paging.Page, filter.Paging.PageSize));
    }

    private static async Task<IResult> Reviews(string m, string? store, string? customer, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (filter, error) = await ParseAsync(db, m, customer, from, to, page, pageSize, ct);
        if (filter is null) return error!;
        var q = from r in db.Reviews
                join b in db.Buyers on new { r.MerchantId, r.StoreId, BuyerId = r.BuyerId! } equals new { b.MerchantId, b.StoreId, b.BuyerId } into bs
                from b in bs.DefaultIfEmpty()
                where r.MerchantId == m
                select new { r, Customer = b == null ? null : b.CustomerId };
        if (store is not null) q = q.Where(x => x.r.StoreId == store);
        if (from is not null) q = q.Where(x => x.r.CreatedAt >= from.Value);
        if (to is not null) q = q.Where(x => x.r.CreatedAt < to.Value);
        if (filter.Accounts is not null)
        {
            var keys = filter.Accounts.Select(a => a.Store + "\u001f" + a.Buyer).ToList();
            q = q.Where(x => x.r.BuyerId != null && keys.Contains(x.r.StoreId + "\u001f" + x.r.BuyerId));
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(x => x.r.CreatedAt).ThenBy(x => x.r.ExternalId).Skip(filter.Paging.Skip).Take(filter.Paging.PageSize).ToListAsync(ct);
        return TypedResults.Ok(new Paged<ReviewView>(rows.Select(x => RecordViews.Review(x.r, x.Customer)).ToList(), total, filter.Paging.Page, filter.Paging.PageSize));
    }

    private static async Task<IResult> Messages(string m, string? store, string? customer, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (filter, error) = await ParseAsync(db, m, customer, from, to, page, pageSize, ct);
        if (filter is null) return error!;
        var q = from x in db.Messages
                join b in db.Buyers on new { x.MerchantId, x.StoreId, x.BuyerId } equals new { b.MerchantId, b.StoreId, b.BuyerId } into bs
                from b in bs.DefaultIfEmpty()
                where x.MerchantId == m
                select new { x, Customer = b == null ? null : b.CustomerId };
        if (store is not null) q = q.Where(y => y.x.StoreId == store);
        if (from is not null) q = q.Where(y => y.x.SentAt >= from.Value);
        if (to is not null) q = q.Where(y => y.x.SentAt < to.Value);
        if (filter.Accounts is not null)
        {
            var keys = filter.Accounts.Select(a => a.Store + "\u001f" + a.Buyer).ToList();
            q = q.Where(y => keys.Contains(y.x.StoreId + "\u001f" + y.x.BuyerId));
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(y => y.x.SentAt).ThenBy(y => y.x.ExternalId).Skip(filter.Paging.Skip).Take(filter.Paging.PageSize).ToListAsync(ct);
        return TypedResults.Ok(new Paged<MessageView>(rows.Select(y => RecordViews.Message(y.x, y.Customer)).ToList(), total, filter.Paging.Page, filter.Paging.PageSize));
    }
}
