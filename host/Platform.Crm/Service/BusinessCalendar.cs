namespace Platform.Crm.Service;

/// <summary>A calendar that cannot be used, naming the argument (timeZone, close, days) and saying what to do instead.</summary>
public sealed class BusinessHoursException(string message, string paramName) : ArgumentException(message, paramName);

/// <summary>
/// Opening hours of one store: a time zone (IANA id, e.g. "Asia/Singapore"), working days, a daily open/close local
/// time, and optional closed dates (local calendar dates, e.g. public holidays). Opening hours are the half-open
/// interval [open, close) of each working day that is not a closed date.
/// </summary>
/// <remarks>
/// All work is done on local days converted to UTC instants, never assuming a day is 24 hours: a store open
/// 00:00–00:00 in Europe/Berlin is open 23 hours on the last Sunday of March and 25 on the last Sunday of October.
/// A local time skipped by a spring-forward transition means the moment the clock jumps (an opening at 02:30 in
/// Berlin on that Sunday is 03:00 CEST); a local time that happens twice at a fall-back transition means its first
/// occurrence. Results are UTC <see cref="DateTimeOffset"/>s; inputs may have any offset.
/// </remarks>
public sealed class BusinessCalendar
{
    private readonly TimeSpan _open;
    private readonly TimeSpan _close; // up to 24 h: midnight at the end of the day
    private readonly HashSet<DayOfWeek> _days;
    private readonly HashSet<DateOnly> _closed;
    private readonly bool _always;

    private BusinessCalendar(TimeZoneInfo zone, TimeSpan open, TimeSpan close, HashSet<DayOfWeek> days, HashSet<DateOnly> closed, bool always)
    {
        TimeZone = zone;
        _open = open;
        _close = close;
        _days = days;
        _closed = closed;
        _always = always;
    }

    /// <summary>
    /// A calendar open from <paramref name="open"/> to <paramref name="close"/> local time on <paramref name="days"/>,
    /// except on <paramref name="closedDates"/>. A close of 00:00 means midnight at the end of the day (18:00–00:00 is
    /// open until midnight, 00:00–00:00 all day).
    /// </summary>
    /// <exception cref="BusinessHoursException">Unknown time zone, close not after open, or no working days.</exception>
    public static BusinessCalendar Create(string timeZone, TimeOnly open, TimeOnly close, IReadOnlyCollection<DayOfWeek> days, IReadOnlyCollection<DateOnly>? closedDates = null)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
            throw new BusinessHoursException("No time zone: give the store's IANA time zone id, e.g. 'Asia/Singapore' or 'Europe/Berlin'.", nameof(timeZone));
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new BusinessHoursException($"Unknown time zone '{timeZone}': give an IANA time zone id, e.g. 'Asia/Singapore' or 'Europe/Berlin'.", nameof(timeZone));
        }

        var openSpan = open.ToTimeSpan();
        var closeSpan = close == TimeOnly.MinValue ? TimeSpan.FromDays(1) : close.ToTimeSpan();
        if (closeSpan <= openSpan)
            throw new BusinessHoursException(
                $"Close {close:HH\\:mm} is not after open {open:HH\\:mm}: give a close time later on the same day (00:00 means midnight at its end). " +
                "Overnight shifts (e.g. 22:00–06:00) are not supported.", nameof(close));

        if (days is null || days.Count == 0)
            throw new BusinessHoursException("No working days: give at least one day of the week the store answers messages, e.g. Monday to Friday.", nameof(days));
        var invalid = days.Where(d => !Enum.IsDefined(d)).ToList();
        if (invalid.Count > 0)
            throw new BusinessHoursException($"Not days of the week: {string.Join(", ", invalid.Select(d => (int)d))}; use DayOfWeek.Sunday to DayOfWeek.Saturday.", nameof(days));

        return new BusinessCalendar(zone, openSpan, closeSpan, [.. days], [.. closedDates ?? []], always: false);
    }

    /// <summary>Open 24/7 in UTC, with no closed dates: for stores without configured hours.</summary>
    public static BusinessCalendar AlwaysOpen { get; } =
        new(TimeZoneInfo.Utc, TimeSpan.Zero, TimeSpan.FromDays(1), [.. Enum.GetValues<DayOfWeek>()], [], always: true);

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Whether <paramref name="at"/> is inside opening hours (open included, close excluded).</summary>
    public bool IsOpen(DateTimeOffset at)
    {
        if (_always) return true;
        // Windows of earlier days end by local midnight; the next day's is checked too in case a fall-back
        // transition just after midnight brought the clock back to the previous date.
        var day = LocalDate(at);
        return Contains(day, at) || Contains(day.AddDays(1), at);
    }

    /// <summary>Business time elapsed between two instants (0 when <paramref name="to"/> ≤ <paramref name="from"/>): only time inside opening hours counts.</summary>
    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return TimeSpan.Zero;
        if (_always) return to - from;
        var total = TimeSpan.Zero;
        // Windows of days before from's local date end by its local midnight, which is not after `from`; one day
        // past to's local date in case a fall-back just after midnight brought the clock back to the previous date.
        var last = LocalDate(to).AddDays(1);
        for (var day = LocalDate(from); day <= last; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day)) continue;
            var (start, end) = Window(day);
            var s = start > from ? start : from;
            var e = end < to ? end : to;
            if (e > s) total += e - s;
        }
        return total;
    }

    /// <summary>
    /// The end of the business day on which something received at <paramref name="at"/> must be answered to meet a
    /// "same business day" target: received during opening hours or before opening on a working day → that day's
    /// close; at or after close, on a closed day or a holiday → the next working day's close. UTC.
    /// </summary>
    public DateTimeOffset SameBusinessDayDeadline(DateTimeOffset at)
    {
        // Terminates: every week has a working day and finitely many dates are closed.
        for (var day = LocalDate(at); ; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day)) continue;
            var (_, end) = Window(day);
            if (at < end) return end;
        }
    }

    /// <summary>
    /// The first instant at which <paramref name="businessTime"/> of opening hours has passed after
    /// <paramref name="from"/> (e.g. "answer within 4 business hours"), UTC. The inverse of
    /// <see cref="BusinessTimeBetween"/>: <c>BusinessTimeBetween(from, AddBusinessTime(from, d)) == d</c>. When the
    /// time runs out exactly at a close, the close is returned (not the next opening).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="businessTime"/> is negative.</exception>
    public DateTimeOffset AddBusinessTime(DateTimeOffset from, TimeSpan businessTime)
    {
        if (businessTime < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(businessTime), businessTime, "Business time to add must be zero or more.");
        if (businessTime == TimeSpan.Zero || _always) return (from + businessTime).ToUniversalTime();
        var left = businessTime;
        for (var day = LocalDate(from); ; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day)) continue;
            var (start, end) = Window(day);
            var s = start > from ? start : from;
            if (end <= s) continue;
            if (left <= end - s) return (s + left).ToUniversalTime();
            left -= end - s;
        }
    }

    private bool Contains(DateOnly day, DateTimeOffset at)
    {
        if (!IsWorkingDay(day)) return false;
        var (start, end) = Window(day);
        return at >= start && at < end;
    }

    private bool IsWorkingDay(DateOnly day) => _days.Contains(day.DayOfWeek) && !_closed.Contains(day);

    private DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZone).DateTime);

    /// <summary>The opening hours of a local day as UTC instants.</summary>
    private (DateTimeOffset Start, DateTimeOffset End) Window(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return (ToUtc(midnight + _open), ToUtc(midnight + _close));
    }

    /// <summary>
    /// The first instant at which the local clock shows <paramref name="local"/> or later: the time itself when it
    /// happens once, its first occurrence when it happens twice (fall back), the transition when it is skipped
    /// (spring forward). Monotonic, so the windows of consecutive days never overlap.
    /// </summary>
    private DateTimeOffset ToUtc(DateTime local)
    {
        if (TimeZone.IsAmbiguousTime(local))
        {
            var offset = TimeZone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local - offset, TimeSpan.Zero);
        }
        if (!TimeZone.IsInvalidTime(local))
            return new DateTimeOffset(local - TimeZone.GetUtcOffset(local), TimeSpan.Zero);

        // Skipped: binary search for the transition, the first UTC tick whose local time is not before `local`.
        var lo = DateTime.SpecifyKind(local.AddHours(-15), DateTimeKind.Utc).Ticks; // local(lo) < local
        var hi = DateTime.SpecifyKind(local.AddHours(15), DateTimeKind.Utc).Ticks;  // local(hi) ≥ local
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            if (TimeZoneInfo.ConvertTimeFromUtc(new DateTime(mid, DateTimeKind.Utc), TimeZone) >= local) hi = mid;
            else lo = mid;
        }
        return new DateTimeOffset(hi, TimeSpan.Zero);
    }
}
