using Microsoft.EntityFrameworkCore;
using Platform.Crm.Service;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Service;

public sealed record CasePatch(string? Status, string? Assignee, string? Note);

public sealed record ConversationView(string Store, string Id, string? Customer, string BuyerId, string? OrderId, int Messages, DateTimeOffset FirstAt,
    DateTimeOffset LastAt, DateTimeOffset? LastInboundAt, DateTimeOffset? LastOutboundAt, bool Waiting, DateTimeOffset? WaitingSince);

/// <summary>
/// The service inbox (crm.md section 4): <c>GET /cases</c>, <c>GET|PATCH /cases/{id}</c>, <c>GET /conversations</c>,
/// <c>GET /conversations/{store}/{id}</c> and <c>GET /service/stats</c>.
/// </summary>
public static class ServiceApi
{
    public static RouteGroupBuilder MapServiceApi(this RouteGroupBuilder merchant)
    {
        var cases = merchant.MapGroup("/cases").WithTags("Service");
        cases.MapGet("/", List);
        cases.MapGet("/{id}", Get);
        cases.MapPatch("/{id}", Patch);
        merchant.MapGet("/conversations", Conversations).WithTags("Service");
        merchant.MapGet("/conversations/{store}/{id}", Conversation).WithTags("Service");
        merchant.MapGet("/service/stats", Stats).WithTags("Service");
        return merchant;
    }

    private static async Task<IResult> List(string m, string? status, string? store, string? breached, string? customer, string? channel, string? assignee,
        DateTimeOffset? from, DateTimeOffset? to, string? sort, int? page, int? pageSize, CaseQueries queries, IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        List<string>? statuses = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            statuses = [];
            foreach (var s in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (CaseRules.ParseStatus(s) is { } parsed) statuses.Add(CaseRules.Wire(parsed));
                else errors["status"] = [$"'{s}' is not a case status: use open, waiting or resolved (several separated by commas)"];
        }
        bool? isBreached = null;
        if (breached is not null)
        {
            if (bool.TryParse(breached, out var b)) isBreached = b;
            else errors["breached"] = [$"'{breached}' is not true or false"];
        }
        if (channel is not null && channel is not ("chat" or "review")) errors["channel"] = [$"'{channel}' is not a channel: use chat or review"];
        if (sort is not null && !CaseQueries.Sorts.Contains(sort)) errors["sort"] = [$"'{sort}' is not a sort: use {string.Join(", ", CaseQueries.Sorts)}"];
        if (from > to) errors["from"] = ["must not be after 'to'"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        IReadOnlyList<(string, string)>? accounts = null;
        if (customer is not null)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await CustomerQueries.AccountsOfAsync(db, m, customer, ct) is not { } found) return Problems.NotFound($"customer '{customer}' does not exist");
            accounts = found;
        }
        var filter = new CaseFilter(statuses, store, isBreached, accounts, channel, assignee, from, to);
        return TypedResults.Ok(await queries.ListAsync(m, filter, sort ?? "priority", paging, ct));
    }

    private static async Task<IResult> Get(string m, string id, CaseQueries queries, CancellationToken ct)
    {
        if (!long.TryParse(id, out var caseId)) return Problems.NotFound($"case '{id}' does not exist");
        if (await queries.GetAsync(m, caseId, ct) is not var (view, events, review, messages, order)) return Problems.NotFound($"case '{id}' does not exist");
        return TypedResults.Ok(new { @case = view, events, review, messages, order });
    }

    /// <summary>Assign, resolve with a note, reopen, or add a note: <c>{ "status", "assignee", "note" }</c>, any of them.</summary>
    private static async Task<IResult> Patch(string m, string id, CasePatch? body, IDbContextFactory<PlatformDbContext> factory, WriteGate gate, CaseQueries queries,
        TimeProvider clock, CancellationToken ct)
    {
        if (!long.TryParse(id, out var caseId)) return Problems.NotFound($"case '{id}' does not exist");
        var errors = new Dictionary<string, string[]>();
        CaseStatus? status = null;
        if (body?.Status is { } s && (status = CaseRules.ParseStatus(s)) is null) errors["status"] = [$"'{s}' is not a case status: use open, waiting or resolved"];
        var assignee = body?.Assignee?.Trim();
        if (assignee is { Length: > 100 }) errors["assignee"] = [$"is {assignee.Length} characters long; 100 at most"];
        var note = body?.Note?.Trim();
        if (note is { Length: > 2000 }) errors["note"] = [$"is {note.Length} characters long; 2,000 at most"];
        if (body is null || (body.Status is null && body.Assignee is null && string.IsNullOrEmpty(note)))
            errors["body"] = ["give at least one of status (open, waiting, resolved), assignee (\"\" to unassign) or note"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        await using var db = await factory.CreateDbContextAsync(ct);
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var row = await db.Cases.AsTracking().FirstOrDefaultAsync(c => c.MerchantId == m && c.Id == caseId, ct);
            if (row is null) return Problems.NotFound($"case '{id}' does not exist");
            var now = clock.GetUtcNow();
            var by = string.IsNullOrEmpty(assignee) ? row.Assignee : assignee;
            void Event(string kind, string text) => db.CaseEvents.Add(new CaseEventRow { MerchantId = m, CaseId = caseId, At = now, Kind = kind, Text = text, By = by });
            if (body!.Assignee is not null && (assignee is "" ? null : assignee) != row.Assignee)
            {
                row.Assignee = assignee is "" ? null : assignee;
                Event("assigned", row.Assignee is null ? "Unassigned." : $"Assigned to {row.Assignee}.");
            }
            if (status is { } next && CaseRules.Wire(next) != row.Status)
            {
                switch (next)
                {
                    case CaseStatus.Resolved:
                        row.ResolvedAt = now;
                        row.ResolvedByHand = true;
                        Event("resolved", string.IsNullOrEmpty(note) ? "Resolved by hand." : $"Resolved by hand: {note}");
                        break;
                    case CaseStatus.Open:
                        row.ResolvedAt = null;
                        row.ResolvedByHand = false;
                        Event("reopened", string.IsNullOrEmpty(note) ? "Reopened by hand." : $"Reopened by hand: {note}");
                        break;
                    default:
                        row.ResolvedAt = null;
                        row.ResolvedByHand = false;
                        Event("changed", string.IsNullOrEmpty(note) ? "Set to waiting on the buyer." : $"Set to waiting on the buyer: {note}");
                        break;
                }
                row.Status = CaseRules.Wire(next);
                note = null; // said with the change
            }
            if (!string.IsNullOrEmpty(note)) Event("note", note);
            row.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        var result = await queries.GetAsync(m, caseId, ct);
        return TypedResults.Ok(new { @case = result!.Value.Case, events = result.Value.Events });
    }

    private static async Task<IResult> Conversations(string m, string? store, string? customer, string? waiting, int? page, int? pageSize,
        IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        bool? isWaiting = null;
        if (waiting is not null)
        {
            if (bool.TryParse(waiting, out var w)) isWaiting = w;
            else errors["waiting"] = [$"'{waiting}' is not true or false"];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        var q = db.Conversations.AsNoTracking().Where(c => c.MerchantId == m);
        if (store is not null) q = q.Where(c => c.StoreId == store);
        // A conversation waits for the seller while it has an open case (a buyer's "thanks" after the answer does not wait).
        if (isWaiting is { } wanted)
            q = q.Where(c => db.Cases.Any(k => k.MerchantId == m && k.StoreId == c.StoreId && k.ConversationId == c.ConversationId && k.Status == "open") == wanted);
        if (customer is not null)
        {
            if (await CustomerQueries.AccountsOfAsync(db, m, customer, ct) is not { } accounts) return Problems.NotFound($"customer '{customer}' does not exist");
            var keys = accounts.Select(a => a.Store + CustomerQueries.AccountSeparator + a.Buyer).ToList();
            q = q.Where(c => keys.Contains(c.StoreId + CustomerQueries.AccountSeparator + c.BuyerId));
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(c => c.LastAt).ThenBy(c => c.ConversationId).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var views = await ViewsAsync(db, m, rows, ct);
        return TypedResults.Ok(new Paged<ConversationView>(views, total, paging.Page, paging.PageSize));
    }

    private static async Task<List<ConversationView>> ViewsAsync(PlatformDbContext db, string m, IReadOnlyList<ConversationRow> rows, CancellationToken ct)
    {
        var customers = await CaseQueries.CustomersOfAsync(db, m, rows.Select(r => (r.StoreId, r.BuyerId)), ct);
        var waiting = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var store in rows.GroupBy(r => r.StoreId))
        {
            var ids = store.Select(r => r.ConversationId).ToList();
            foreach (var k in await db.Cases.AsNoTracking().Where(k => k.MerchantId == m && k.StoreId == store.Key && k.Status == "open" && ids.Contains(k.ConversationId!))
                         .Select(k => new { k.ConversationId, k.OpenedAt, k.FirstResponseAt, k.UpdatedAt }).ToListAsync(ct))
                waiting[(store.Key, k.ConversationId!)] = k.FirstResponseAt is null ? k.OpenedAt : k.UpdatedAt; // reopened: since the buyer wrote again
        }
        return rows.Select(c => new ConversationView(c.StoreId, c.ConversationId, customers.GetValueOrDefault((c.StoreId, c.BuyerId)), c.BuyerId, c.OrderExternalId,
            c.Messages, c.FirstAt, c.LastAt, c.LastInboundAt, c.LastOutboundAt, waiting.ContainsKey((c.StoreId, c.ConversationId)),
            waiting.TryGetValue((c.StoreId, c.ConversationId), out var since) ? since : null)).ToList();
    }

    private static async Task<IResult> Conversation(string m, string store, string id, IDbContextFactory<PlatformDbContext> factory, CaseQueries queries,
        TimeProvider clock, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.MerchantId == m && c.StoreId == store && c.ConversationId == id, ct);
        if (row is null) return Problems.NotFound($"conversation '{id}' of store '{store}' does not exist");
        var view = (await ViewsAsync(db, m, [row], ct))[0];
        var messages = (await db.Messages.AsNoTracking().Where(x => x.MerchantId == m && x.StoreId == store && x.ConversationId == id).ToListAsync(ct))
            .OrderBy(x => x.SentAt).ThenBy(x => x.ExternalId, StringComparer.Ordinal).Select(x => RecordViews.Message(x, view.Customer)).ToList();
        var caseRows = await db.Cases.AsNoTracking().Where(c => c.MerchantId == m && c.StoreId == store && c.ConversationId == id).OrderBy(c => c.OpenedAt).ToListAsync(ct);
        var cases = await queries.ViewsAsync(db, m, caseRows, clock.GetUtcNow(), ct);
        return TypedResults.Ok(new { conversation = view, messages, cases });
    }

    private static async Task<IResult> Stats(string m, DateTimeOffset? from, DateTimeOffset? to, string? store, ServiceStats stats, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var end = to ?? now;
        var start = from ?? end.AddDays(-30);
        if (start >= end)
            return Problems.Invalid(new Dictionary<string, string[]> { ["from"] = [$"must be before 'to' ({end:O})"] });
        return TypedResults.Ok(await stats.ComputeAsync(m, start, end, store, now, ct));
    }
}
