namespace Platform.Crm.Service;

/// <summary>
/// The merchant's targets: a first response the same business day (optional), and a breach after
/// <paramref name="BreachAfter"/> of calendar time (elapsed hours, opening hours or not; default 72 h).
/// </summary>
public sealed record ResponseTargets(bool SameBusinessDay, TimeSpan BreachAfter)
{
    /// <summary>Same business day, breached after 72 hours.</summary>
    public static ResponseTargets Default { get; } = new(true, TimeSpan.FromHours(72));
}

/// <summary>What the targets say about one case at a given moment.</summary>
/// <param name="DueAt">The same-business-day deadline (UTC), null when that target is off.</param>
/// <param name="BreachAt">openedAt + BreachAfter (UTC).</param>
/// <param name="FirstResponse">Calendar time from opening to the first response, null when none yet.</param>
/// <param name="FirstResponseBusiness">Business time from opening to the first response, null when none yet.</param>
/// <param name="MetTarget">Responded by DueAt (by BreachAt when the same-day target is off) and not breached.</param>
/// <param name="Breached">Responded after BreachAt, or no response and now is past BreachAt.</param>
/// <param name="Resolution">Calendar time from opening to resolution, null when not resolved.</param>
public sealed record ResponseAssessment(DateTimeOffset? DueAt, DateTimeOffset BreachAt, TimeSpan? FirstResponse, TimeSpan? FirstResponseBusiness,
    bool MetTarget, bool Breached, TimeSpan? Resolution);

/// <summary>Response-time targets applied to one case: pure, on given instants.</summary>
public static class ResponseClock
{
    /// <summary>
    /// Assesses a case. <paramref name="openedAt"/>: when the case's triggering item arrived;
    /// <paramref name="firstResponseAt"/>: the seller's first reply (null when none yet); <paramref name="resolvedAt"/>:
    /// when resolved (null when not); <paramref name="now"/>: the clock.
    /// </summary>
    /// <remarks>
    /// Deadlines are inclusive: a response exactly at DueAt meets the target and one exactly at BreachAt is not a
    /// breach; with no response, the case is breached once <paramref name="now"/> is after BreachAt (not at it).
    /// A response past BreachAt never meets the target, even when the same-day deadline is later (a holiday week).
    /// A reply or resolution stamped before <paramref name="openedAt"/> (clock skew) counts as immediate (zero time).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">BreachAfter is not positive.</exception>
    public static ResponseAssessment Assess(BusinessCalendar calendar, ResponseTargets targets, DateTimeOffset openedAt, DateTimeOffset? firstResponseAt, DateTimeOffset? resolvedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.BreachAfter <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(targets), targets.BreachAfter, "BreachAfter must be more than zero, e.g. 72 hours.");

        DateTimeOffset? due = targets.SameBusinessDay ? calendar.SameBusinessDayDeadline(openedAt) : null;
        var breachAt = (openedAt + targets.BreachAfter).ToUniversalTime();
        bool breached, met;
        TimeSpan? first = null, firstBusiness = null;
        if (firstResponseAt is { } response)
        {
            first = Since(openedAt, response);
            firstBusiness = calendar.BusinessTimeBetween(openedAt, response);
            breached = response > breachAt;
            met = !breached && response <= (due ?? breachAt);
        }
        else
        {
            breached = now > breachAt;
            met = false;
        }
        return new ResponseAssessment(due, breachAt, first, firstBusiness, met, breached, resolvedAt is { } r ? Since(openedAt, r) : null);
    }

    private static TimeSpan Since(DateTimeOffset from, DateTimeOffset to) => to > from ? to - from : TimeSpan.Zero;
}
