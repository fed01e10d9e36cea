using Microsoft.EntityFrameworkCore;
using Platform.Crm.Service;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Service;

/// <summary>A case as listed: what it is about, where it stands, and the response-time figures.</summary>
public sealed record CaseView(long Id, string Store, string Channel, string Status, IReadOnlyList<string> Triggers, IReadOnlyList<string> ComplaintTerms,
    string Summary, string? Customer, string? BuyerId, string? ConversationId, string? OrderId, string? ReviewId, string? MessageId,
    DateTimeOffset OpenedAt, DateTimeOffset? DueAt, DateTimeOffset BreachAt, DateTimeOffset? FirstResponseAt, DateTimeOffset? ResolvedAt, string? ResolvedBy,
    string? Assignee, double? FirstResponseMinutes, double? FirstResponseBusinessMinutes, double? ResolutionMinutes, double WaitingMinutes, bool MetTarget, bool Breached,
    DateTimeOffset UpdatedAt);

public sealed record CaseEventView(DateTimeOffset At, string Kind, string Text, string? By);

/// <summary>Case list filters; <c>Accounts</c> are the customer's (store, buyer) pairs when filtered by customer.</summary>
public sealed record CaseFilter(IReadOnlyList<string>? Statuses, string? Store, bool? Breached, IReadOnlyList<(string Store, string Buyer)>? Accounts,
    string? Channel, string? Assignee, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>Reads of cases: lists, one case, the figures of a case at a moment.</summary>
public sealed class CaseQueries(IDbContextFactory<PlatformDbContext> factory, ServiceSettings settings, TimeProvider clock)
{
    public static readonly string[] Sorts = ["priority", "newest", "oldest"];

    public async Task<Paged<CaseView>> ListAsync(string m, CaseFilter filter, string sort, PageRequest paging, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var q = Filter(db.Cases.AsNoTracking().Where(c => c.MerchantId == m), filter, now);
        var total = await q.CountAsync(ct);
        q = sort switch
        {
            "newest" => q.OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id),
            "oldest" => q.OrderBy(c => c.OpenedAt).ThenBy(c => c.Id),
            // The seller's work first: open, then waiting on the buyer, then done; reviews (public) before chats; longest waiting first.
            _ => q.OrderBy(c => c.Status == "open" ? 0 : c.Status == "waiting" ? 1 : 2).ThenBy(c => c.Channel == "review" ? 0 : 1)
                .ThenBy(c => c.OpenedAt).ThenBy(c => c.Id),
        };
        var rows = await q.Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var views = await ViewsAsync(db, m, rows, now, ct);
        return new Paged<CaseView>(views, total, paging.Page, paging.PageSize);
    }

    public static IQueryable<CaseRow> Filter(IQueryable<CaseRow> q, CaseFilter f, DateTimeOffset now)
    {
        if (f.Statuses is { Count: > 0 } statuses) q = q.Where(c => statuses.Contains(c.Status));
        if (f.Store is not null) q = q.Where(c => c.StoreId == f.Store);
        if (f.Channel is not null) q = q.Where(c => c.Channel == f.Channel);
        if (f.Assignee is not null) q = q.Where(c => c.Assignee == f.Assignee);
        if (f.From is { } from) q = q.Where(c => c.OpenedAt >= from);
        if (f.To is { } to) q = q.Where(c => c.OpenedAt < to);
        if (f.Accounts is { } accounts)
        {
            var keys = accounts.Select(a => a.Store + CustomerQueries.AccountSeparator + a.Buyer).ToList();
            q = q.Where(c => c.BuyerId != null && keys.Contains(c.StoreId + CustomerQueries.AccountSeparator + c.BuyerId));
        }
        if (f.Breached is { } breached)
            q = breached
                ? q.Where(c => (c.FirstResponseAt != null && c.FirstResponseAt > c.BreachAt)
                               || (c.FirstResponseAt == null && c.ResolvedAt != null && c.ResolvedAt > c.BreachAt)
                               || (c.FirstResponseAt == null && c.ResolvedAt == null && c.BreachAt < now))
                : q.Where(c => !((c.FirstResponseAt != null && c.FirstResponseAt > c.BreachAt)
                                 || (c.FirstResponseAt == null && c.ResolvedAt != null && c.ResolvedAt > c.BreachAt)
                                 || (c.FirstResponseAt == null && c.ResolvedAt == null && c.BreachAt < now)));
        return q;
    }

    public async Task<(CaseView Case, IReadOnlyList<CaseEventView> Events, object? Review, IReadOnlyList<MessageView> Messages, object? Order)?> GetAsync(
        string m, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.MerchantId == m && c.Id == id, ct);
        if (row is null) return null;
        var view = (await ViewsAsync(db, m, [row], clock.GetUtcNow(), ct))[0];
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.MerchantId == m && e.CaseId == id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new CaseEventView(e.At, e.Kind, e.Text, e.By)).ToListAsync(ct);
        object? review = null;
        if (row.ReviewExternalId is { } reviewId
            && await db.Reviews.AsNoTracking().FirstOrDefaultAsync(r => r.MerchantId == m && r.StoreId == row.StoreId && r.ExternalId == reviewId, ct) is { } r)
            review = RecordViews.Review(r, view.Customer);
        var messages = row.ConversationId is { } conversation
            ? (await db.Messages.AsNoTracking().Where(x => x.MerchantId == m && x.StoreId == row.StoreId && x.ConversationId == conversation)
                .ToListAsync(ct)).OrderBy(x => x.SentAt).ThenBy(x => x.ExternalId, StringComparer.Ordinal).Select(x => RecordViews.Message(x, view.Customer)).ToList()
            : [];
        object? order = null;
        if (row.OrderExternalId is { } orderId
            && await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.MerchantId == m && o.StoreId == row.StoreId && o.ExternalId == orderId, ct) is { } o)
        {
            var lines = await db.OrderLines.AsNoTracking().Where(l => l.MerchantId == m && l.StoreId == row.StoreId && l.OrderExternalId == orderId).ToListAsync(ct);
            order = RecordViews.Order(o, lines, view.Customer);
        }
        return (view, events, review, messages, order);
    }

    /// <summary>The views of case rows: each with its customer (through the buyer account) and its figures now.</summary>
    public async Task<List<CaseView>> ViewsAsync(PlatformDbContext db, string m, IReadOnlyList<CaseRow> rows, DateTimeOffset now, CancellationToken ct)
    {
        var customers = await CustomersOfAsync(db, m, rows.Where(r => r.BuyerId is not null).Select(r => (r.StoreId, r.BuyerId!)), ct);
        var calendars = await CalendarsAsync(db, m, ct);
        return rows.Select(r => View(r, r.BuyerId is null ? null : customers.GetValueOrDefault((r.StoreId, r.BuyerId)),
            calendars.GetValueOrDefault(r.StoreId) ?? settings.DefaultCalendar, now)).ToList();
    }

    /// <summary>The customer each (store, buyer) account belongs to now (null before identity resolution reached it).</summary>
    public static async Task<Dictionary<(string Store, string Buyer), string?>> CustomersOfAsync(PlatformDbContext db, string m,
        IEnumerable<(string Store, string Buyer)> accounts, CancellationToken ct)
    {
        var customers = new Dictionary<(string, string), string?>();
        foreach (var store in accounts.GroupBy(a => a.Store))
        {
            var buyers = store.Select(a => a.Buyer).Distinct().ToList();
            foreach (var b in await db.Buyers.AsNoTracking().Where(b => b.MerchantId == m && b.StoreId == store.Key && buyers.Contains(b.BuyerId))
                         .Select(b => new { b.BuyerId, b.CustomerId }).ToListAsync(ct))
                customers[(store.Key, b.BuyerId)] = b.CustomerId;
        }
        return customers;
    }

    public async Task<Dictionary<string, BusinessCalendar>> CalendarsAsync(PlatformDbContext db, string m, CancellationToken ct) =>
        (await db.Stores.AsNoTracking().Where(s => s.MerchantId == m).Select(s => new { s.StoreId, s.BusinessHoursJson }).ToListAsync(ct))
            .ToDictionary(s => s.StoreId, s => settings.CalendarOf(s.BusinessHoursJson), StringComparer.Ordinal);

    public CaseView View(CaseRow r, string? customer, BusinessCalendar calendar, DateTimeOffset now)
    {
        var a = Assess(r, calendar, now);
        var waiting = r.Status == "open" ? Math.Max(0, (now - (r.FirstResponseAt is null ? r.OpenedAt : r.UpdatedAt)).TotalMinutes) : 0;
        return new CaseView(r.Id, r.StoreId, r.Channel, r.Status, r.Triggers.Split(',', StringSplitOptions.RemoveEmptyEntries), CaseRows.SplitTerms(r.ComplaintTerms),
            r.Summary, customer, r.BuyerId, r.ConversationId, r.OrderExternalId, r.ReviewExternalId, r.MessageExternalId,
            r.OpenedAt, r.DueAt, r.BreachAt, r.FirstResponseAt, r.ResolvedAt, r.ResolvedAt is null ? null : r.ResolvedByHand ? "hand" : "rules", r.Assignee,
            Minutes(a.FirstResponse), Minutes(a.FirstResponseBusiness), Minutes(a.Resolution), Math.Round(waiting, 1), a.MetTarget, a.Breached, r.UpdatedAt);
    }

    /// <summary>The response-time figures of a case at <paramref name="now"/>, with the due time and breach time it was opened with.</summary>
    public ResponseAssessment Assess(CaseRow r, BusinessCalendar calendar, DateTimeOffset now)
    {
        var a = ResponseClock.Assess(calendar, settings.Targets, r.OpenedAt, r.FirstResponseAt, r.ResolvedAt, now);
        // The targets may have changed since the case opened: the stored due and breach times are the ones it is held to.
        var responded = r.FirstResponseAt ?? r.ResolvedAt;
        var breached = responded is { } at ? at > r.BreachAt : now > r.BreachAt;
        var met = !breached && r.FirstResponseAt is { } first && first <= (r.DueAt ?? r.BreachAt);
        return a with { DueAt = r.DueAt, BreachAt = r.BreachAt, Breached = breached, MetTarget = met };
    }

    private static double? Minutes(TimeSpan? span) => span is { } s ? Math.Round(s.TotalMinutes, 1) : null;
}
