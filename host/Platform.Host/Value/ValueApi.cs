using System.Globalization;
using Platform.Host.Infrastructure;

namespace Platform.Host.Value;

/// <summary><c>POST /insights/model/fit</c> body: both dates optional, <c>yyyy-MM-dd</c>.</summary>
public sealed record FitRequest(string? CalibrationEnd, string? HoldoutEnd);

public static class ValueApi
{
    public static RouteGroupBuilder MapValueApi(this RouteGroupBuilder merchant)
    {
        var insights = merchant.MapGroup("/insights").WithTags("Insights");
        insights.MapGet("/model", Get);
        insights.MapPost("/model/fit", Fit);
        return merchant;
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
