using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Crm.Value;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Merchants;
using Platform.Host.Storage;

namespace Platform.Host.Value;

/// <summary>BG/NBD part of a model report: parameters when fitted, otherwise why not.</summary>
public sealed record PurchaseModelView(string Status, double? R, double? Alpha, double? A, double? B, double? LogLikelihood,
    bool Converged, string? Reason, double AverageRate, int Evaluations);

/// <summary>Gamma-Gamma part of a model report: parameters when fitted, otherwise why not.</summary>
public sealed record SpendModelView(string Status, double? P, double? Q, double? Gamma, double? LogLikelihood,
    bool Converged, string? Reason, double MeanSpend, int RepeatBuyers, int Evaluations);

/// <summary>Predicted vs actual repeat purchases of the calibration customers over the holdout period.</summary>
public sealed record HoldoutView(int Customers, double PredictedRepeatPurchases, int ActualRepeatPurchases, double? RelativeError);

/// <summary>
/// A merchant's value model (<c>GET /insights/model</c>): fitted on repeat purchase days (orders counted as revenue,
/// in the merchant's currency, same-day orders merged) up to <see cref="CalibrationEnd"/>; time unit: weeks.
/// </summary>
public sealed record ModelReport(string Status, DateTimeOffset FittedAt, DateOnly CalibrationEnd, DateOnly? HoldoutEnd, string Currency,
    string TimeUnit, int Customers, int RepeatBuyers, PurchaseModelView Purchases, SpendModelView Spend, HoldoutView? Holdout, int? SampledFrom = null)
{
    public BgNbdFit PurchaseFit() => new(Purchases.Status == "fitted" ? FitStatus.Fitted : FitStatus.NotEnoughData,
        Purchases.R is { } r ? new BgNbd(r, Purchases.Alpha!.Value, Purchases.A!.Value, Purchases.B!.Value) : null,
        Purchases.LogLikelihood, Customers, RepeatBuyers, Purchases.Converged, Purchases.Reason, Purchases.AverageRate, Purchases.Evaluations);

    public GammaGammaFit SpendFit() => new(Spend.Status == "fitted" ? FitStatus.Fitted : FitStatus.NotEnoughData,
        Spend.P is { } p ? new GammaGamma(p, Spend.Q!.Value, Spend.Gamma!.Value) : null,
        Spend.LogLikelihood, Spend.RepeatBuyers, Spend.Converged, Spend.Reason, Spend.MeanSpend, Spend.Evaluations);
}

/// <summary>One customer's predicted value (the profile's <c>value</c>), from the merchant's latest model.</summary>
public sealed record CustomerValue(string ModelStatus, double? PAlive, double ExpectedOrders, decimal Clv, string Currency, DateOnly? NextOrderAt,
    int RepeatPurchases, double RecencyWeeks, double AgeWeeks, decimal AverageSpend);

/// <summary>Fits and keeps each merchant's purchase (BG/NBD) and spend (Gamma-Gamma) model; values customers with it.</summary>
public sealed class ValueModels(IDbContextFactory<PlatformDbContext> factory, MerchantDirectory merchants, IOptions<PlatformOptions> options, TimeProvider clock)
{
    private const double DaysPerWeek = 7;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Fits on purchases up to <paramref name="calibrationEnd"/> (default: today) and, with a holdout end, compares predictions with what happened after.</summary>
    public async Task<ModelReport> FitAsync(string merchantId, DateOnly? calibrationEnd, DateOnly? holdoutEnd, CancellationToken ct) =>
        await FitAsync(merchantId, calibrationEnd, holdoutEnd, onlyIfNone: false, ct);

    /// <summary>
    /// The latest model, fitting one on today's data when there is none; a model fitted meanwhile (e.g. on request)
    /// is kept, not replaced.
    /// </summary>
    public async Task<ModelReport> EnsureAsync(string merchantId, CancellationToken ct) =>
        await GetAsync(merchantId, ct) ?? await FitAsync(merchantId, null, null, onlyIfNone: true, ct);

    private async Task<ModelReport> FitAsync(string merchantId, DateOnly? calibrationEnd, DateOnly? holdoutEnd, bool onlyIfNone, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var end = calibrationEnd ?? today;
        var currency = await merchants.CurrencyAsync(merchantId);
        await using var db = await factory.CreateDbContextAsync(ct);
        var transactions = await TransactionsAsync(db, merchantId, currency, null, ct);
        var summaries = SummaryBuilder.Build(transactions, end, holdoutEnd, DaysPerWeek);
        // A large merchant is fitted on a fixed random sample of its customers (the same customers every time):
        // at 50,000 customers the parameters' sampling error is far below what the model can tell apart.
        var sample = Sample(summaries, options.Value.Value.FitSampleSize);
        var purchases = BgNbd.Fit(sample);
        var spend = GammaGamma.Fit(sample);
        HoldoutView? holdout = null;
        if (holdoutEnd is { } h)
        {
            var totals = Holdout.Compare(purchases, summaries, (h.DayNumber - end.DayNumber) / DaysPerWeek);
            holdout = new HoldoutView(totals.Customers, Math.Round(totals.Predicted, 2), totals.Actual, totals.RelativeError is { } e ? Math.Round(e, 4) : null);
        }
        var report = new ModelReport(purchases.IsFitted ? "fitted" : "notEnoughData", clock.GetUtcNow(), end, holdoutEnd, currency, "week",
            purchases.Customers, purchases.RepeatBuyers,
            new PurchaseModelView(Status(purchases.Status), purchases.Parameters?.R, purchases.Parameters?.Alpha, purchases.Parameters?.A, purchases.Parameters?.B,
                purchases.LogLikelihood, purchases.Converged, purchases.Reason, purchases.AverageRate, purchases.Evaluations),
            new SpendModelView(Status(spend.Status), spend.Parameters?.P, spend.Parameters?.Q, spend.Parameters?.Gamma, spend.LogLikelihood,
                spend.Converged, spend.Reason, spend.MeanSpend, spend.RepeatBuyers, spend.Evaluations),
            holdout, sample.Count < summaries.Count ? summaries.Count : null);

        var json = JsonSerializer.Serialize(report, Json);
        var fittedAt = report.FittedAt.ToUnixTimeMilliseconds();
        // One statement each way, so a fit on request and the first scoring's fit cannot interleave between a read and a write.
        if (onlyIfNone)
        {
            var added = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO value_models (merchant_id, fitted_at, json) VALUES ({merchantId}, {fittedAt}, {json}) ON CONFLICT (merchant_id) DO NOTHING", ct);
            return added == 1 ? report : (await GetAsync(merchantId, ct))!;
        }
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO value_models (merchant_id, fitted_at, json) VALUES ({merchantId}, {fittedAt}, {json}) ON CONFLICT (merchant_id) DO UPDATE SET fitted_at = excluded.fitted_at, json = excluded.json", ct);
        return report;
    }

    public async Task<ModelReport?> GetAsync(string merchantId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await LatestAsync(db, merchantId, ct);
    }

    /// <summary>The customer's value by the merchant's latest model, on their purchases up to today; null before the first fit.</summary>
    public async Task<CustomerValue?> ValueOfAsync(PlatformDbContext db, string merchantId, string customerId, CancellationToken ct)
    {
        if (await LatestAsync(db, merchantId, ct) is not { } model) return null;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var transactions = await TransactionsAsync(db, merchantId, model.Currency, customerId, ct);
        if (SummaryBuilder.Build(transactions, today, null, DaysPerWeek).SingleOrDefault() is not { } summary) return null;
        var purchases = model.PurchaseFit();
        var spend = model.SpendFit();
        var horizon = 365.25 / DaysPerWeek;
        var clv = Clv.Compute(purchases, spend, summary, new ClvOptions(12, options.Value.Value.MonthlyDiscountRate, DaysPerWeek));
        return new CustomerValue(model.Status, Rounded(purchases.ProbabilityAlive(summary.X, summary.Tx, summary.T)),
            Math.Round(purchases.ExpectedPurchases(summary, horizon), 3), decimal.Round((decimal)clv, 2), model.Currency,
            NextOrder.ExpectedDate(purchases, summary, today, DaysPerWeek), summary.X, Math.Round(summary.Tx, 2), Math.Round(summary.T, 2),
            decimal.Round((decimal)spend.ExpectedAverageSpend(summary), 2));
    }

    /// <summary>Up to <paramref name="size"/> customers chosen by a stable hash of their ids (all of them when 0 or fewer than that).</summary>
    private static IReadOnlyList<Platform.Crm.Value.CustomerSummary> Sample(IReadOnlyList<Platform.Crm.Value.CustomerSummary> summaries, int size) =>
        size <= 0 || summaries.Count <= size ? summaries : summaries.OrderBy(s => StableHash(s.CustomerId)).ThenBy(s => s.CustomerId, StringComparer.Ordinal).Take(size).ToList();

    private static uint StableHash(string text)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var ch in text) hash = (hash ^ ch) * 16777619u;
        return hash;
    }

    private static double? Rounded(double? v) => v is { } x ? Math.Round(x, 4) : null;

    private static string Status(FitStatus s) => s == FitStatus.Fitted ? "fitted" : "notEnoughData";

    private static async Task<ModelReport?> LatestAsync(PlatformDbContext db, string merchantId, CancellationToken ct) =>
        await db.ValueModels.AsNoTracking().Where(v => v.MerchantId == merchantId).Select(v => v.Json).FirstOrDefaultAsync(ct) is { } json
            ? JsonSerializer.Deserialize<ModelReport>(json, Json)
            : null;

    /// <summary>
    /// Revenue orders of the merchant's customers (or one customer) in the merchant's currency; orders without a
    /// rate are left out. All customers' are read in key ranges of the customers, one range a core.
    /// </summary>
    private async Task<List<Transaction>> TransactionsAsync(PlatformDbContext db, string merchantId, string currency, string? customerId, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        if (customerId is not null)
        {
            var one = new List<Transaction>();
            await ReadAsync(conn, null, "b.customer_id = @c", [("@m", merchantId), ("@c", customerId)], one, ct);
            return one;
        }
        var ids = new List<string>();
        await Sql.EachAsync(conn, null, "SELECT id FROM customers WHERE merchant_id = @m AND merged_into IS NULL", [("@m", merchantId)],
            r => ids.Add(r.GetString(0)), ct);
        var ranges = new System.Collections.Concurrent.ConcurrentBag<List<Transaction>>();
        await Scoring.InKeyRangesAsync(factory, merchantId, ids, async (c, tx, only, values, token) =>
        {
            var part = new List<Transaction>();
            await ReadAsync(c, tx, only, values, part, token);
            ranges.Add(part);
        }, ct);
        return ranges.SelectMany(p => p).ToList(); // the summaries do not depend on the order

        async Task ReadAsync(DbConnection c, DbTransaction? tx, string only, (string, object?)[] values, List<Transaction> into, CancellationToken token)
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"""
                SELECT b.customer_id, o.created_at, o.total, o.currency FROM buyers b CROSS JOIN orders o
                WHERE b.merchant_id = @m AND {only}
                  AND o.merchant_id = b.merchant_id AND o.store_id = b.store_id AND o.buyer_id = b.buyer_id
                  AND o.status IN ({Sql.AddList(cmd, "s", CustomerProjector.Revenue)})
                """;
            foreach (var (name, value) in values) Sql.Add(cmd, name, value);
            await using var r = await cmd.ExecuteReaderAsync(token);
            while (r.Read())
            {
                var day = UnixMillisecondsConverter.UtcDay(r.GetInt64(1));
                if (options.Value.ExchangeRates.Convert(Money.FromStored(r.GetInt64(2)), r.GetString(3), currency, day) is { } amount)
                    into.Add(new Transaction(r.GetString(0), day, amount));
            }
        }
    }
}
