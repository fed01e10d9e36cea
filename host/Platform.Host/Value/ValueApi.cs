using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Platform.Host.Merchants;
using Platform.Host.Storage;
using Platform.Host.Infrastructure;

namespace Platform.Host.Value;

/// <summary><c>POST /insights/model/fit</c> body: both dates optional, <c>yyyy-MM-dd</c>.</summary>
public sealed record FitRequest(string? CalibrationEnd, string? HoldoutEnd);

/// <summary><c>POST /insights/scores</c> body: <c>review</c> also runs the periodic tier review.</summary>
public sealed record ScoreRequest(bool? Review);

public static class ValueApi
{
    public static RouteGroupBuilder MapValueApi(this RouteGroupBuilder merchant)
    {
        var insights = merchant.MapGroup("/insights").WithTags("Insights");
        insights.MapGet("/model", Get);
        insights.MapPost("/model/fit", Fit);
        insights.MapGet("/scores", Scores);
        insights.MapPost("/scores", Score);
        return merchant;
    }

    /// <summary>Scores every customer now; <c>{"review": true}</c> also runs the tier review (downgrades past their grace).</summary>
    private static async Task<IResult> Score(string m, ScoreRequest? body, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IScoringGrain>(m).ScoreAll(body?.Review ?? false));

    /// <summary>Where the merchant's customers stand: tier distribution, segments, key accounts, growing customers.</summary>
    private static async Task<IResult> Scores(string m, IDbContextFactory<PlatformDbContext> factory, Microsoft.Extensions.Options.IOptions<PlatformOptions> options,
        MerchantDirectory merchants, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var scoredAt = await db.ValueDistributions.Where(d => d.MerchantId == m).Select(d => (DateTimeOffset?)d.ComputedAt).FirstOrDefaultAsync(ct);
        if (scoredAt is null)
            return Problems.NotFound($"merchant '{m}' has not been scored yet: scoring runs after each sync and on schedule, or POST /api/v1/merchants/{m}/insights/scores");
        var rows = db.CustomerScores.Where(s => s.MerchantId == m);
        var tiers = await rows.GroupBy(s => s.Tier).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var segments = await rows.Where(s => s.Segment != null).GroupBy(s => s.Segment!).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var policy = options.Value.Value.Tiers.ToPolicy();
        return TypedResults.Ok(new
        {
            scoredAt,
            currency = await merchants.CurrencyAsync(m),
            customers = await rows.CountAsync(ct),
            tiers = policy.Levels.Select(l => new { name = l.Name, minSpend = l.MinSpend, pointsMultiplier = l.PointsMultiplier, customers = tiers.GetValueOrDefault(l.Name) }),
            segments = Segments.All.ToDictionary(x => x, x => segments.GetValueOrDefault(x)),
            keyAccounts = await rows.CountAsync(s => s.KeyAccount, ct),
            growing = await rows.CountAsync(s => s.Growing, ct),
        });
    }

    private static async Task<IResult> Get(string m, ValueModels models, CancellationToken ct) =>
        await models.GetAsync(m, ct) is { } report
            ? TypedResults.Ok(report)
            : Problems.NotFound($"merchant '{m}' has no value model yet: POST /api/v1/merchants/{m}/insights/model/fit fits one");

    private static async Task<IResult> Fit(string m, FitRequest? body, ValueModels models, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var calibrationEnd = Date(body?.CalibrationEnd, "calibrationEnd", errors);
        var holdoutEnd = Date(body?.HoldoutEnd, "holdoutEnd", errors);
        if (calibrationEnd > today) errors["calibrationEnd"] = [$"{calibrationEnd:yyyy-MM-dd} is in the future: use a day up to {today:yyyy-MM-dd}"];
        if (holdoutEnd is { } h)
        {
            if (h > today) errors["holdoutEnd"] = [$"{h:yyyy-MM-dd} is in the future: the holdout compares predictions with purchases that happened"];
            else if (h <= (calibrationEnd ?? today)) errors["holdoutEnd"] = ["must be after calibrationEnd (which is today when not given)"];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);
        return TypedResults.Ok(await models.FitAsync(m, calibrationEnd, holdoutEnd, ct));
    }

    private static DateOnly? Date(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors[field] = [$"'{value}' is not a date: use yyyy-MM-dd, e.g. 2026-06-30"];
        return null;
    }
}
