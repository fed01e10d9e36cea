using Microsoft.EntityFrameworkCore;
using Platform.Host.Storage;

namespace Platform.Host.Service;

public sealed record SentimentMonth(string Month, double Average, int Items);

/// <summary>The profile's <c>service</c> block: open cases, last contact, average sentiment and its trend by month.</summary>
public sealed record ServiceSummary(int OpenCases, int BreachedOpenCases, int Cases, DateTimeOffset? LastContactAt, DateTimeOffset? LastCaseAt,
    double? Sentiment, int SentimentItems, IReadOnlyList<SentimentMonth> SentimentTrend);

/// <summary>A person's service history in short, for the profile; and their cases, for the timeline.</summary>
public sealed class ServiceViews(CaseQueries cases, ServiceSettings settings, TimeProvider clock)
{
    /// <summary>Months of sentiment trend on the profile.</summary>
    public const int TrendMonths = 12;

    public async Task<ServiceSummary> SummaryAsync(PlatformDbContext db, string m, IReadOnlyList<(string Store, string Buyer)> accounts, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await CasesOfAsync(db, m, accounts, ct);
        var calendars = await cases.CalendarsAsync(db, m, ct);
        var open = rows.Where(r => r.Status != "resolved").ToList();
        var breachedOpen = open.Count(r => cases.Assess(r, calendars.GetValueOrDefault(r.StoreId) ?? settings.DefaultCalendar, now).Breached);

        // What the buyer wrote: their reviews and their own messages (the seller's replies say nothing of the buyer's mood).
        var said = new List<(DateTimeOffset At, double Sentiment)>();
        DateTimeOffset? lastContact = null;
        foreach (var store in accounts.GroupBy(a => a.Store))
        {
            var buyers = store.Select(a => a.Buyer).ToList();
            var messages = await db.Messages.AsNoTracking().Where(x => x.MerchantId == m && x.StoreId == store.Key && buyers.Contains(x.BuyerId))
                .Select(x => new { x.SentAt, x.Direction, x.Sentiment, x.Text }).ToListAsync(ct);
            var reviews = await db.Reviews.AsNoTracking().Where(r => r.MerchantId == m && r.StoreId == store.Key && r.BuyerId != null && buyers.Contains(r.BuyerId))
                .Select(r => new { r.CreatedAt, r.Sentiment }).ToListAsync(ct);
            foreach (var x in messages)
            {
                lastContact = Later(lastContact, x.SentAt);
                if (x.Direction == "inbound" && !string.IsNullOrWhiteSpace(x.Text)) said.Add((x.SentAt, x.Sentiment));
            }
            foreach (var r in reviews)
            {
                lastContact = Later(lastContact, r.CreatedAt);
                said.Add((r.CreatedAt, r.Sentiment));
            }
        }
        var since = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-(TrendMonths - 1));
        var trend = said.Where(s => s.At >= since).GroupBy(s => $"{s.At.UtcDateTime:yyyy-MM}").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SentimentMonth(g.Key, Math.Round(g.Average(x => x.Sentiment), 3), g.Count())).ToList();
        return new ServiceSummary(open.Count, breachedOpen, rows.Count, lastContact, rows.Count == 0 ? null : rows.Max(r => r.OpenedAt),
            said.Count == 0 ? null : Math.Round(said.Average(s => s.Sentiment), 3), said.Count, trend);
    }

    public static async Task<List<CaseRow>> CasesOfAsync(PlatformDbContext db, string m, IReadOnlyList<(string Store, string Buyer)> accounts, CancellationToken ct)
    {
        var rows = new List<CaseRow>();
        foreach (var store in accounts.GroupBy(a => a.Store))
        {
            var buyers = store.Select(a => a.Buyer).ToList();
            rows.AddRange(await db.Cases.AsNoTracking().Where(c => c.MerchantId == m && c.StoreId == store.Key && c.BuyerId != null && buyers.Contains(c.BuyerId))
                .ToListAsync(ct));
        }
        return rows;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x >= b ? x : b;
}
