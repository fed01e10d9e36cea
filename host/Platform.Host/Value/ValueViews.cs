using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Value;

/// <summary>RFM quintiles (1–5, 5 best) and segment.</summary>
public sealed record RfmView(int R, int F, int M, string Segment);

/// <summary>A value dimension's 0–100 percentile within the merchant and what it was computed from.</summary>
public sealed record DimensionView(double Score, IReadOnlyDictionary<string, JsonElement> Inputs);

/// <summary>
/// The profile's <c>value</c>: the model's predictions for the customer (computed on request from the latest fit;
/// <c>modelStatus</c> "none" before the first) and the scores of the last scoring (null before the first).
/// </summary>
public sealed record ValueView(
    string ModelStatus, double? PAlive, double? ExpectedOrders, decimal? Clv, string Currency, DateOnly? NextOrderAt,
    int? RepeatPurchases, double? RecencyWeeks, double? AgeWeeks, decimal? AverageSpend,
    RfmView? Rfm, string? Credit, double? EValue, double? Score, bool KeyAccount, bool Growing, DateTimeOffset? ScoredAt,
    IReadOnlyDictionary<string, DimensionView>? Dimensions);

/// <summary>
/// The profile's <c>tier</c>: the member tier, since when, the spend it rests on, and what is next. With
/// <see cref="BelowSince"/> set the spend is under the tier: from <see cref="DowngradeReviewFrom"/> a review may lower it.
/// </summary>
public sealed record TierView(string Name, DateTimeOffset Since, decimal Spend12Months, string Currency, double PointsMultiplier,
    string? NextTier, decimal? SpendToNextTier, DateTimeOffset? BelowSince, DateTimeOffset? DowngradeReviewFrom);

/// <summary>Builds the profile's value and tier blocks.</summary>
public sealed class ValueViews(ValueModels models, IOptions<PlatformOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(ValueView? Value, TierView? Tier)> ForAsync(PlatformDbContext db, string merchantId, string customerId, string currency, CancellationToken ct)
    {
        var predicted = await models.ValueOfAsync(db, merchantId, customerId, ct);
        var row = await db.CustomerScores.AsNoTracking().FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.CustomerId == customerId, ct);
        if (predicted is null && row is null) return (null, null);
        var modelStatus = predicted?.ModelStatus ?? (await models.GetAsync(merchantId, ct) is { } m ? m.Status : "none");
        Dictionary<string, DimensionView>? dimensions = null;
        if (row is not null)
        {
            var inputs = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, JsonElement>>>(row.InputsJson, Json) ?? [];
            DimensionView D(string name, double score) => new(score, inputs.GetValueOrDefault(name) ?? []);
            dimensions = new Dictionary<string, DimensionView>
            {
                ["current"] = D("current", row.Current), ["future"] = D("future", row.Future), ["credit"] = D("credit", row.Credit),
                ["loyalty"] = D("loyalty", row.Loyalty), ["growth"] = D("growth", row.Growth), ["eValue"] = D("eValue", row.EValue),
            };
        }
        var value = new ValueView(modelStatus, predicted?.PAlive, predicted?.ExpectedOrders, predicted?.Clv ?? row?.Clv, currency, predicted?.NextOrderAt,
            predicted?.RepeatPurchases, predicted?.RecencyWeeks, predicted?.AgeWeeks, predicted?.AverageSpend,
            row is { R: { } r, F: { } f, M: { } mo, Segment: { } seg } ? new RfmView(r, f, mo, seg) : null,
            row?.CreditGrade, row?.EValue, row?.Score, row?.KeyAccount ?? false, row?.Growing ?? false, row?.ScoredAt, dimensions);
        return (value, row is null ? null : Tier(row, currency));
    }

    private TierView Tier(CustomerScoreRow row, string currency)
    {
        var policy = options.Value.Value.Tiers.ToPolicy();
        var index = policy.IndexOf(row.Tier);
        var level = index >= 0 ? policy.Levels[index] : null;
        var next = index >= 0 && index + 1 < policy.Levels.Count ? policy.Levels[index + 1] : null;
        return new TierView(row.Tier, row.TierSince, row.Spend12Months, currency, level?.PointsMultiplier ?? 1, next?.Name,
            next is null ? null : Math.Max(0, next.MinSpend - row.Spend12Months), row.TierBelowSince, row.TierBelowSince?.AddDays(policy.GraceDays));
    }
}
