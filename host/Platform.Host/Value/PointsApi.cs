using Microsoft.EntityFrameworkCore;
using Platform.Crm.Loyalty;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Value;

/// <summary><c>POST /customers/{id}/points</c> body: a non-zero whole number of points and the reason.</summary>
public sealed record PointsRequest(long? Points, string? Reason);

/// <summary>A ledger entry as listed.</summary>
public sealed record PointsEntryView(long Id, string Kind, long Points, DateTimeOffset At, string Source, string Reason);

/// <summary>The points that expire next, and when.</summary>
public sealed record PointsExpiryView(long Points, DateTimeOffset At);

/// <summary>The profile's <c>points</c>: balance and next expiry.</summary>
public sealed record PointsSummary(long Balance, PointsExpiryView? NextExpiry);

/// <summary>A customer's ledger: balance, next expiry, entries newest first (paged).</summary>
public sealed record PointsLedgerView(string Customer, long Balance, PointsExpiryView? NextExpiry, IReadOnlyList<PointsEntryView> Items, int Total, int Page, int PageSize);

public static class PointsApi
{
    public static RouteGroupBuilder MapPointsApi(this RouteGroupBuilder merchant)
    {
        var customers = merchant.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/{id}/points", Get);
        customers.MapPost("/{id}/points", Post);
        return merchant;
    }

    /// <summary>The ledger of a customer (a merged-away id answers with the survivor's).</summary>
    public static async Task<(string Customer, List<(PointsEntry Entry, string Reason, long Id)> Entries)?> ReadAsync(PlatformDbContext db, string m, string id, CancellationToken ct)
    {
        var c = await CustomerQueries.ResolveAsync(db, m, id, ct);
        return c is null ? null : (c.Id, await EntriesOfAsync(db, m, c.Id, ct));
    }

    /// <summary>The ledger of a customer already resolved (oldest first, with reasons).</summary>
    public static async Task<List<(PointsEntry Entry, string Reason, long Id)>> EntriesOfAsync(PlatformDbContext db, string m, string customerId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var ledger = await PointsAwards.LedgerAsync(db.Database.GetDbConnection(), m, [customerId], reasons: true, ct);
        return ledger.GetValueOrDefault(customerId) ?? [];
    }

    public static PointsSummary Summary(IReadOnlyList<PointsEntry> entries, int expiryMonths, DateTimeOffset now) =>
        new(PointsLedger.Balance(entries), PointsLedger.NextExpiry(entries, expiryMonths, now) is var (p, at) ? new PointsExpiryView(p, at) : null);

    private static async Task<IResult> Get(string m, string id, int? page, int? pageSize, IDbContextFactory<PlatformDbContext> factory,
        Microsoft.Extensions.Options.IOptions<PlatformOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await ReadAsync(db, m, id, ct) is not var (customer, entries)) return Problems.NotFound($"customer '{id}' does not exist");
        var summary = Summary(entries.Select(e => e.Entry).ToList(), options.Value.Value.Points.ExpiryMonths, clock.GetUtcNow());
        var items = entries.OrderByDescending(e => e.Entry.At).ThenByDescending(e => e.Id).Skip(paging.Skip).Take(paging.PageSize)
            .Select(e => new PointsEntryView(e.Id, e.Entry.Kind, e.Entry.Points, e.Entry.At, e.Entry.Source, e.Reason)).ToList();
        return TypedResults.Ok(new PointsLedgerView(customer, summary.Balance, summary.NextExpiry, items, entries.Count, paging.Page, paging.PageSize));
    }

    /// <summary>A manual adjustment; an <c>Idempotency-Key</c> header makes a retried request add nothing the second time.</summary>
    private static async Task<IResult> Post(string m, string id, PointsRequest? body, HttpRequest request, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Points is not { } points || points == 0) errors["points"] = ["give a whole number of points other than 0, e.g. 100 or -50"];
        else if (Math.Abs(points) > 10_000_000) errors["points"] = [$"{points} is more than 10,000,000 points at once"];
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors["reason"] = ["say why, e.g. \"goodwill for a late delivery\""];
        else if (reason.Length > 500) errors["reason"] = [$"is {reason.Length} characters long; 500 at most"];
        var key = request.Headers["Idempotency-Key"].FirstOrDefault()?.Trim();
        if (key is { Length: > 200 }) errors["Idempotency-Key"] = ["is longer than 200 characters"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var result = await grains.GetGrain<IScoringGrain>(m).AdjustPoints(id, body!.Points!.Value, reason!, string.IsNullOrEmpty(key) ? null : key);
        return result.Status switch
        {
            404 => Problems.NotFound(result.Error!),
            400 => Problems.Invalid(new Dictionary<string, string[]> { [result.Field!] = [result.Error!] }),
            201 => TypedResults.Created($"/api/v1/merchants/{m}/customers/{result.Customer}/points",
                new { customer = result.Customer, source = result.Source, points = result.Points, balance = result.Balance }),
            _ => TypedResults.Ok(new { customer = result.Customer, source = result.Source, points = result.Points, balance = result.Balance }),
        };
    }
}
