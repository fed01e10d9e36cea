using System.Globalization;
using Platform.Crm.Service;

namespace Platform.Host.Service;

/// <summary>The <c>Platform:Service</c> section: opening hours, response targets, complaint words.</summary>
public sealed class ServiceOptions
{
    /// <summary>Opening hours of stores that set none of their own (a store's PUT may carry <c>businessHours</c>).</summary>
    public BusinessHoursSettings BusinessHours { get; set; } = new();

    /// <summary>First response is due by the end of the business day the buyer wrote on.</summary>
    public bool SameBusinessDay { get; set; } = true;

    /// <summary>No first response within this many calendar hours is a breach.</summary>
    public double BreachAfterHours { get; set; } = 72;

    /// <summary>Words and phrases that open a complaint case (English words match whole words, Chinese as substrings); none: the built-in list.</summary>
    public List<string>? ComplaintWords { get; set; }

    /// <summary>A case waiting on the buyer resolves itself when the buyer says nothing for this many days after the seller's answer.</summary>
    public double ReplyWindowDays { get; set; } = 7;

    /// <summary>When answered cases past their reply window are resolved (Quartz cron, UTC).</summary>
    public string SweepCron { get; set; } = "0 */10 * * * ?";

    /// <summary>A 3-star review whose text scores at or below this is negative.</summary>
    public double NegativeTextThreshold { get; set; } = -0.3;

    public ResponseTargets ToTargets() => new(SameBusinessDay, TimeSpan.FromHours(BreachAfterHours));

    public IEnumerable<string> Problems()
    {
        if (!double.IsFinite(BreachAfterHours) || BreachAfterHours is <= 0 or > 24 * 365)
            yield return $"Platform:Service:BreachAfterHours is {BreachAfterHours}: use hours above 0, e.g. 72.";
        if (!double.IsFinite(ReplyWindowDays) || ReplyWindowDays is <= 0 or > 365)
            yield return $"Platform:Service:ReplyWindowDays is {ReplyWindowDays}: use days above 0 and at most 365, e.g. 7.";
        if (!Quartz.CronExpression.TryParse(SweepCron, out _))
            yield return $"Platform:Service:SweepCron '{SweepCron}' is not a Quartz cron expression: e.g. '0 */10 * * * ?' for every ten minutes.";
        if (!double.IsFinite(NegativeTextThreshold) || NegativeTextThreshold is < -1 or > 0)
            yield return $"Platform:Service:NegativeTextThreshold is {NegativeTextThreshold}: use a score from -1 to 0, e.g. -0.3.";
        foreach (var (field, message) in BusinessHours.Problems())
            yield return $"Platform:Service:BusinessHours:{char.ToUpperInvariant(field[0])}{field[1..]}: {message}";
        string? complaintProblem = null;
        try { _ = new ComplaintWords(ComplaintWords is { Count: > 0 } w ? w : Crm.Service.ComplaintWords.DefaultTerms); }
        catch (ArgumentException e) { complaintProblem = $"Platform:Service:ComplaintWords: {e.Message}"; }
        if (complaintProblem is not null) yield return complaintProblem;
    }
}

/// <summary>
/// A store's opening hours as configured or sent: <c>{ "timeZone": "Asia/Singapore", "open": "09:00", "close": "18:00",
/// "days": ["Monday", …], "closed": ["2026-12-25"] }</c>. Overnight hours (close before open) are not supported.
/// </summary>
public sealed class BusinessHoursSettings
{
    public string? TimeZone { get; set; }
    public string? Open { get; set; }
    public string? Close { get; set; }
    public List<string>? Days { get; set; }
    public List<string>? Closed { get; set; }

    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>The calendar, or the problems keyed by field (timeZone, open, close, days, closed).</summary>
    public (BusinessCalendar? Calendar, List<(string Field, string Message)> Problems) ToCalendar()
    {
        var problems = new List<(string, string)>();
        var open = ParseTime(Open ?? "09:00", "open", problems);
        var close = ParseTime(Close ?? "18:00", "close", problems);
        var days = new List<DayOfWeek>();
        foreach (var d in Days ?? [])
        {
            if (Enum.TryParse<DayOfWeek>(d, ignoreCase: true, out var day) && Enum.IsDefined(day) && !int.TryParse(d, out _)) days.Add(day);
            else problems.Add(("days", $"'{d}' is not a day of the week: use Monday … Sunday."));
        }
        var closed = new List<DateOnly>();
        foreach (var c in Closed ?? [])
        {
            if (DateOnly.TryParseExact(c, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) closed.Add(date);
            else problems.Add(("closed", $"'{c}' is not a date: use yyyy-MM-dd, e.g. 2026-12-25."));
        }
        if (problems.Count > 0) return (null, problems);
        try
        {
            return (BusinessCalendar.Create(TimeZone ?? "UTC", open, close, Days is null ? Weekdays : days, closed), problems);
        }
        catch (BusinessHoursException e)
        {
            problems.Add((e.ParamName ?? "businessHours", e.Message));
            return (null, problems);
        }
    }

    public IEnumerable<(string Field, string Message)> Problems() => ToCalendar().Problems;

    private static TimeOnly ParseTime(string value, string field, List<(string, string)> problems)
    {
        if (TimeOnly.TryParseExact(value, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
        problems.Add((field, $"'{value}' is not a time of day: use HH:mm, e.g. 09:00."));
        return default;
    }
}
