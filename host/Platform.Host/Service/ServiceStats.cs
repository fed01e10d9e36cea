using Microsoft.EntityFrameworkCore;
using Platform.Host.Storage;

namespace Platform.Host.Service;

/// <summary>Durations in minutes: how many, their median and 90th percentile (linear interpolation between ranks).</summary>
public sealed record DurationStats(int Count, double? MedianMinutes, double? P90Minutes)
{
    public static DurationStats Of(IEnumerable<double> minutes)
    {
        var sorted = minutes.Order().ToArray();
        return new DurationStats(sorted.Length, Quantile(sorted, 0.5), Quantile(sorted, 0.9));
    }

    /// <summary>The q-quantile of sorted values (R's type 7), null for none.</summary>
    public static double? Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return null;
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return Math.Round(sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]), 1);
    }
}

/// <summary>Unresolved cases now, by how long ago they opened.</summary>
public sealed record OpenByAge(int UnderOneDay, int OneToThreeDays, int ThreeToSevenDays, int OverSevenDays);

/// <summary>One store's service figures over a period (or all stores', with <c>Store</c> null).</summary>
public sealed record ServiceFigures(string? Store, int Cases, int ChatCases, int ReviewCases, DurationStats FirstResponse, DurationStats FirstResponseBusiness,
    double? MetTargetRate, int Breached, double? BreachRate, int Resolved, DurationStats Resolution, int OpenNow, OpenByAge OpenByAge,
    int Reviews, int NegativeReviews, double? NegativeReviewRate, double? AverageReviewSentiment);

public sealed record ServiceStatsView(DateTimeOffset From, DateTimeOffset To, ServiceFigures Total, IReadOnlyList<ServiceFigures> Stores);

/// <summary>
/// <c>GET /service/stats</c>: the numbers a merchant manages service by, per store and in total. Cases opened in the
/// period give the response and resolution times, the share that met the target and the breach rate; open cases are
/// counted now, by age; reviews written in the period give the negative-review rate (1–2 stars, or 3 stars with negative text).
/// </summary>
public sealed class ServiceStats(IDbContextFactory<PlatformDbContext> factory, CaseQueries cases, ServiceSettings settings)
{
    public async Task<ServiceStatsView> ComputeAsync(string m, DateTimeOffset from, DateTimeOffset to, string? store, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var opened = db.Cases.AsNoTracking().Where(c => c.MerchantId == m && c.OpenedAt >= from && c.OpenedAt < to);
        var unresolved = db.Cases.AsNoTracking().Where(c => c.MerchantId == m && c.Status != "resolved");
        var reviews = db.Reviews.AsNoTracking().Where(r => r.MerchantId == m && r.CreatedAt >= from && r.CreatedAt < to);
        if (store is not null)
        {
            opened = opened.Where(c => c.StoreId == store);
            unresolved = unresolved.Where(c => c.StoreId == store);
            reviews = reviews.Where(r => r.StoreId == store);
        }
        var calendars = await cases.CalendarsAsync(db, m, ct);
        var openedRows = await opened.ToListAsync(ct);
        var openAges = (await unresolved.Select(c => new { c.StoreId, c.OpenedAt }).ToListAsync(ct)).Select(c => (c.StoreId, Age: now - c.OpenedAt)).ToList();
        var reviewRows = (await reviews.Select(r => new { r.StoreId, r.Rating, r.Sentiment }).ToListAsync(ct))
            .Select(r => (r.StoreId, r.Rating, r.Sentiment)).ToList();

        var assessed = openedRows.Select(r => (Row: r, A: cases.Assess(r, calendars.GetValueOrDefault(r.StoreId) ?? settings.DefaultCalendar, now))).ToList();
        var stores = assessed.Select(x => x.Row.StoreId).Concat(openAges.Select(x => x.StoreId)).Concat(reviewRows.Select(r => r.StoreId))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var perStore = stores.Select(s => Figures(s, assessed.Where(x => x.Row.StoreId == s).ToList(), openAges.Where(x => x.StoreId == s).Select(x => x.Age).ToList(),
            reviewRows.Where(r => r.StoreId == s).Select(r => (r.Rating, r.Sentiment)).ToList())).ToList();
        var total = Figures(null, assessed, openAges.Select(x => x.Age).ToList(), reviewRows.Select(r => (r.Rating, r.Sentiment)).ToList());
        return new ServiceStatsView(from, to, total, perStore);
    }

    private ServiceFigures Figures(string? store, IReadOnlyList<(CaseRow Row, Platform.Crm.Service.ResponseAssessment A)> opened, IReadOnlyList<TimeSpan> openAges,
        IReadOnlyList<(int Rating, double Sentiment)> reviews)
    {
        var responded = opened.Where(x => x.A.FirstResponse is not null).ToList();
        var decided = opened.Where(x => x.Row.FirstResponseAt is not null || x.A.Breached).ToList(); // cases whose target is settled
        var breached = opened.Count(x => x.A.Breached);
        var resolved = opened.Where(x => x.A.Resolution is not null).ToList();
        var negative = reviews.Count(r => r.Rating <= 2 || (r.Rating == 3 && r.Sentiment <= settings.NegativeTextThreshold));
        return new ServiceFigures(store, opened.Count, opened.Count(x => x.Row.Channel == "chat"), opened.Count(x => x.Row.Channel == "review"),
            DurationStats.Of(responded.Select(x => x.A.FirstResponse!.Value.TotalMinutes)),
            DurationStats.Of(responded.Where(x => x.A.FirstResponseBusiness is not null).Select(x => x.A.FirstResponseBusiness!.Value.TotalMinutes)),
            Rate(decided.Count(x => x.A.MetTarget), decided.Count), breached, Rate(breached, decided.Count),
            resolved.Count, DurationStats.Of(resolved.Select(x => x.A.Resolution!.Value.TotalMinutes)),
            openAges.Count,
            new OpenByAge(openAges.Count(a => a < TimeSpan.FromDays(1)), openAges.Count(a => a >= TimeSpan.FromDays(1) && a < TimeSpan.FromDays(3)),
                openAges.Count(a => a >= TimeSpan.FromDays(3) && a < TimeSpan.FromDays(7)), openAges.Count(a => a >= TimeSpan.FromDays(7))),
            reviews.Count, negative, Rate(negative, reviews.Count),
            reviews.Count == 0 ? null : Math.Round(reviews.Average(r => r.Sentiment), 3));
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
