using Platform.Crm.Service;
using Xunit;

namespace Platform.Crm.Tests.Service;

/// <summary>Opening hours on fixed instants in 2026.</summary>
public class BusinessCalendarTests
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    private static readonly DayOfWeek[] AllWeek = Enum.GetValues<DayOfWeek>();
    private static readonly TimeSpan Sgt = TimeSpan.FromHours(8);

    /// <summary>Mon–Fri 09:00–18:00 in Singapore (no DST, +08:00).</summary>
    private static readonly BusinessCalendar Singapore = BusinessCalendar.Create("Asia/Singapore", new TimeOnly(9, 0), new TimeOnly(18, 0), Weekdays);

    private static DateTimeOffset Sg(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Sgt);

    private static TimeSpan H(double hours) => TimeSpan.FromHours(hours);

    [Fact]
    public void The_fixed_dates_fall_on_the_days_the_tests_say()
    {
        Assert.Equal(DayOfWeek.Friday, new DateOnly(2026, 3, 13).DayOfWeek);
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(2026, 3, 29).DayOfWeek);  // last Sunday of March: Europe springs forward
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(2026, 10, 25).DayOfWeek); // last Sunday of October: Europe falls back
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(2026, 3, 8).DayOfWeek);   // second Sunday of March: US springs forward
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(2026, 11, 1).DayOfWeek);  // first Sunday of November: US falls back
    }

    [Fact]
    public void A_Friday_afternoon_message_answered_Monday_morning_took_two_business_hours()
    {
        var received = Sg(3, 13, 17);  // Friday 17:00
        var answered = Sg(3, 16, 10);  // Monday 10:00
        Assert.Equal(H(2), Singapore.BusinessTimeBetween(received, answered)); // Fri 17–18 + Mon 09–10
        Assert.Equal(H(65), answered - received);
        var deadline = Singapore.SameBusinessDayDeadline(received);
        Assert.Equal(Sg(3, 13, 18), deadline);
        Assert.Equal(TimeSpan.Zero, deadline.Offset);
    }

    [Fact]
    public void Same_business_day_deadlines()
    {
        Assert.Equal(Sg(3, 16, 18), Singapore.SameBusinessDayDeadline(Sg(3, 14, 11)));      // Saturday → Monday's close
        Assert.Equal(Sg(3, 16, 18), Singapore.SameBusinessDayDeadline(Sg(3, 15, 23, 59)));  // Sunday night → Monday's close
        Assert.Equal(Sg(3, 17, 18), Singapore.SameBusinessDayDeadline(Sg(3, 17, 7)));       // Tuesday before opening → Tuesday's close
        Assert.Equal(Sg(3, 17, 18), Singapore.SameBusinessDayDeadline(Sg(3, 17, 0)));       // Tuesday midnight → Tuesday's close
        Assert.Equal(Sg(3, 17, 18), Singapore.SameBusinessDayDeadline(Sg(3, 17, 9)));       // at opening
        Assert.Equal(Sg(3, 17, 18), Singapore.SameBusinessDayDeadline(Sg(3, 17, 17, 59)));  // just before close
        Assert.Equal(Sg(3, 18, 18), Singapore.SameBusinessDayDeadline(Sg(3, 17, 18)));      // at close: closed, the next day
        Assert.Equal(Sg(3, 16, 18), Singapore.SameBusinessDayDeadline(Sg(3, 13, 18, 30)));  // Friday after close → Monday
    }

    [Fact]
    public void Opening_hours_include_the_open_and_exclude_the_close()
    {
        Assert.False(Singapore.IsOpen(Sg(3, 17, 8, 59)));
        Assert.True(Singapore.IsOpen(Sg(3, 17, 9)));
        Assert.True(Singapore.IsOpen(Sg(3, 17, 17, 59)));
        Assert.False(Singapore.IsOpen(Sg(3, 17, 18)));
        Assert.False(Singapore.IsOpen(Sg(3, 14, 12))); // Saturday
    }

    [Fact]
    public void Holidays_are_skipped()
    {
        var holiday = new DateOnly(2026, 3, 16); // the Monday
        var calendar = BusinessCalendar.Create("Asia/Singapore", new TimeOnly(9, 0), new TimeOnly(18, 0), Weekdays, [holiday]);
        Assert.False(calendar.IsOpen(Sg(3, 16, 12)));
        Assert.Equal(Sg(3, 17, 18), calendar.SameBusinessDayDeadline(Sg(3, 13, 18, 30))); // Friday evening → Tuesday
        Assert.Equal(Sg(3, 17, 18), calendar.SameBusinessDayDeadline(Sg(3, 16, 10)));     // on the holiday → Tuesday
        Assert.Equal(H(2), calendar.BusinessTimeBetween(Sg(3, 13, 17), Sg(3, 17, 10)));
        Assert.Equal(Sg(3, 17, 10), calendar.AddBusinessTime(Sg(3, 13, 17), H(2)));
    }

    [Fact]
    public void Berlin_days_are_23_and_25_hours_long_at_the_transitions()
    {
        var allDay = BusinessCalendar.Create("Europe/Berlin", TimeOnly.MinValue, TimeOnly.MinValue, AllWeek); // 00:00–00:00: all day
        var cet = H(1);
        var cest = H(2);
        Assert.Equal(H(24), allDay.BusinessTimeBetween(new(2026, 3, 28, 0, 0, 0, cet), new(2026, 3, 29, 0, 0, 0, cet)));
        Assert.Equal(H(23), allDay.BusinessTimeBetween(new(2026, 3, 29, 0, 0, 0, cet), new(2026, 3, 30, 0, 0, 0, cest)));
        Assert.Equal(H(25), allDay.BusinessTimeBetween(new(2026, 10, 25, 0, 0, 0, cest), new(2026, 10, 26, 0, 0, 0, cet)));
        Assert.Equal(H(24 * 7 - 1), allDay.BusinessTimeBetween(new(2026, 3, 26, 0, 0, 0, cet), new(2026, 4, 2, 0, 0, 0, cest)));
        Assert.True(allDay.IsOpen(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero)));

        // 01:00–04:00 local spans the transition: 2 hours in March (02:00 → 03:00), 4 in October (03:00 → 02:00).
        var night = BusinessCalendar.Create("Europe/Berlin", new TimeOnly(1, 0), new TimeOnly(4, 0), AllWeek);
        Assert.Equal(H(2), night.BusinessTimeBetween(new(2026, 3, 29, 0, 0, 0, cet), new(2026, 3, 30, 0, 0, 0, cest)));
        Assert.Equal(H(4), night.BusinessTimeBetween(new(2026, 10, 25, 0, 0, 0, cest), new(2026, 10, 26, 0, 0, 0, cet)));
        Assert.Equal(H(3), night.BusinessTimeBetween(new(2026, 10, 24, 0, 0, 0, cest), new(2026, 10, 25, 0, 0, 0, cest)));
    }

    [Fact]
    public void Berlin_skipped_and_repeated_opening_times()
    {
        // 02:30 does not exist on 29 March: the store opens when the clock jumps to 03:00 CEST (01:00 UTC).
        var calendar = BusinessCalendar.Create("Europe/Berlin", new TimeOnly(2, 30), new TimeOnly(5, 0), AllWeek);
        Assert.False(calendar.IsOpen(new DateTimeOffset(2026, 3, 29, 0, 59, 0, TimeSpan.Zero)));
        Assert.True(calendar.IsOpen(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)));
        Assert.Equal(H(2), calendar.BusinessTimeBetween(new(2026, 3, 29, 0, 0, 0, H(1)), new(2026, 3, 30, 0, 0, 0, H(2)))); // 03:00–05:00 CEST
        // 02:30 happens twice on 25 October: the first time (CEST, 00:30 UTC) counts; 05:00 CET is 04:00 UTC.
        Assert.True(calendar.IsOpen(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero)));
        Assert.False(calendar.IsOpen(new DateTimeOffset(2026, 10, 25, 0, 29, 0, TimeSpan.Zero)));
        Assert.Equal(H(3.5), calendar.BusinessTimeBetween(new(2026, 10, 25, 0, 0, 0, H(2)), new(2026, 10, 26, 0, 0, 0, H(1))));
    }

    [Fact]
    public void Berlin_office_hours_across_the_spring_weekend()
    {
        var office = BusinessCalendar.Create("Europe/Berlin", new TimeOnly(9, 0), new TimeOnly(18, 0), Weekdays);
        var friday = new DateTimeOffset(2026, 3, 27, 17, 0, 0, H(1));
        var monday = new DateTimeOffset(2026, 3, 30, 10, 0, 0, H(2));
        Assert.Equal(monday, office.AddBusinessTime(friday, H(2)));
        Assert.Equal(H(2), office.BusinessTimeBetween(friday, monday));
        Assert.Equal(H(64), monday - friday); // the weekend lost an hour: 64 calendar hours, not 65
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 16, 0, 0, TimeSpan.Zero), office.SameBusinessDayDeadline(new DateTimeOffset(2026, 3, 28, 12, 0, 0, H(1))));
    }

    [Fact]
    public void New_York_days_and_office_hours_across_the_transitions()
    {
        var allDay = BusinessCalendar.Create("America/New_York", TimeOnly.MinValue, TimeOnly.MinValue, AllWeek);
        var est = H(-5);
        var edt = H(-4);
        Assert.Equal(H(23), allDay.BusinessTimeBetween(new(2026, 3, 8, 0, 0, 0, est), new(2026, 3, 9, 0, 0, 0, edt)));
        Assert.Equal(H(25), allDay.BusinessTimeBetween(new(2026, 11, 1, 0, 0, 0, edt), new(2026, 11, 2, 0, 0, 0, est)));

        var office = BusinessCalendar.Create("America/New_York", new TimeOnly(9, 0), new TimeOnly(17, 0), Weekdays);
        var friday = new DateTimeOffset(2026, 3, 6, 16, 0, 0, est);
        var monday = new DateTimeOffset(2026, 3, 9, 10, 0, 0, edt);
        Assert.Equal(H(2), office.BusinessTimeBetween(friday, monday));
        Assert.Equal(monday, office.AddBusinessTime(friday, H(2)));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 17, 0, 0, edt), office.SameBusinessDayDeadline(new DateTimeOffset(2026, 3, 8, 2, 30, 0, est)));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 17, 0, 0, est), office.SameBusinessDayDeadline(new DateTimeOffset(2026, 10, 31, 12, 0, 0, edt)));
    }

    [Fact]
    public void Santiago_falls_back_at_midnight()
    {
        // Chile's clocks go from Saturday 24:00 (-03) back to 23:00 (-04) on the first Sunday of April: Saturday has 25 hours.
        var allDay = BusinessCalendar.Create("America/Santiago", TimeOnly.MinValue, TimeOnly.MinValue, AllWeek);
        var saturday = new DateTimeOffset(2026, 4, 4, 0, 0, 0, H(-3));
        var sunday = new DateTimeOffset(2026, 4, 5, 0, 0, 0, H(-4));
        Assert.Equal(H(25), allDay.BusinessTimeBetween(saturday, sunday));
        var weekend = BusinessCalendar.Create("America/Santiago", new TimeOnly(22, 0), TimeOnly.MinValue, [DayOfWeek.Saturday]);
        Assert.Equal(H(3), weekend.BusinessTimeBetween(saturday, sunday));
        Assert.True(weekend.IsOpen(new DateTimeOffset(2026, 4, 4, 23, 30, 0, H(-4)))); // the second 23:30
        Assert.Equal(sunday, weekend.AddBusinessTime(saturday, H(3)));
    }

    [Fact]
    public void Instants_in_different_offsets_give_the_same_answers()
    {
        var from = new DateTimeOffset(2026, 3, 13, 9, 0, 0, TimeSpan.Zero); // Friday 17:00 in Singapore
        var to = new DateTimeOffset(2026, 3, 16, 2, 0, 0, TimeSpan.Zero);   // Monday 10:00 in Singapore
        foreach (var offset in new[] { TimeSpan.Zero, Sgt, H(-5), new TimeSpan(5, 45, 0), H(14), H(-12) })
        {
            var f = from.ToOffset(offset);
            var t = to.ToOffset(offset);
            Assert.Equal(H(2), Singapore.BusinessTimeBetween(f, t));
            Assert.Equal(Sg(3, 13, 18), Singapore.SameBusinessDayDeadline(f));
            Assert.Equal(to, Singapore.AddBusinessTime(f, H(2)));
            Assert.True(Singapore.IsOpen(f));
            Assert.False(Singapore.IsOpen(t.AddHours(-2)));
        }
    }

    [Fact]
    public void No_business_time_when_to_is_not_after_from()
    {
        Assert.Equal(TimeSpan.Zero, Singapore.BusinessTimeBetween(Sg(3, 16, 12), Sg(3, 16, 10)));
        Assert.Equal(TimeSpan.Zero, Singapore.BusinessTimeBetween(Sg(3, 16, 12), Sg(3, 16, 12)));
        Assert.Equal(TimeSpan.Zero, Singapore.BusinessTimeBetween(Sg(3, 14, 9), Sg(3, 14, 18))); // Saturday
    }

    [Fact]
    public void Adding_business_time()
    {
        Assert.Equal(Sg(3, 16, 12), Singapore.AddBusinessTime(Sg(3, 13, 17), H(4)));   // 1 h Friday, 3 h Monday (09–12)
        Assert.Equal(Sg(3, 16, 13), Singapore.AddBusinessTime(Sg(3, 14, 10), H(4)));   // from a Saturday
        Assert.Equal(Sg(3, 13, 18), Singapore.AddBusinessTime(Sg(3, 13, 17), H(1)));   // ends exactly at the close: the close
        Assert.Equal(Sg(3, 14, 10), Singapore.AddBusinessTime(Sg(3, 14, 10), TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, Singapore.AddBusinessTime(Sg(3, 13, 17), H(1)).Offset);
        Assert.Throws<ArgumentOutOfRangeException>(() => Singapore.AddBusinessTime(Sg(3, 13, 17), H(-1)));
    }

    [Fact]
    public void A_year_of_weekdays_is_counted_day_by_day()
    {
        // 2026 starts on a Thursday and has 365 days: 52 weeks and a Thursday, 261 weekdays of 9 hours.
        Assert.Equal(H(261 * 9), Singapore.BusinessTimeBetween(Sg(1, 1, 0), new DateTimeOffset(2027, 1, 1, 0, 0, 0, Sgt)));
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, Sgt).AddDays(-1).AddHours(18), Singapore.AddBusinessTime(Sg(1, 1, 0), H(261 * 9)));
    }

    [Fact]
    public void Always_open_is_every_hour_in_utc()
    {
        var always = BusinessCalendar.AlwaysOpen;
        Assert.Equal(TimeZoneInfo.Utc, always.TimeZone);
        var from = Sg(3, 14, 3);
        Assert.Equal(H(100.5), always.BusinessTimeBetween(from, from + H(100.5)));
        Assert.True(always.IsOpen(from));
        Assert.Equal(from + H(7), always.AddBusinessTime(from, H(7)));
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 0, 0, 0, TimeSpan.Zero), always.SameBusinessDayDeadline(Sg(3, 13, 12))); // 04:00 UTC → UTC midnight
    }

    [Fact]
    public void Add_business_time_is_the_inverse_of_business_time_between()
    {
        var berlin = BusinessCalendar.Create("Europe/Berlin", new TimeOnly(8, 30), new TimeOnly(17, 15), Weekdays, [new DateOnly(2026, 4, 3), new DateOnly(2026, 4, 6)]);
        var nightBerlin = BusinessCalendar.Create("Europe/Berlin", new TimeOnly(1, 0), new TimeOnly(4, 0), AllWeek);
        var newYork = BusinessCalendar.Create("America/New_York", new TimeOnly(10, 0), TimeOnly.MinValue, [DayOfWeek.Saturday, DayOfWeek.Sunday]);
        var withHolidays = BusinessCalendar.Create("Asia/Singapore", new TimeOnly(9, 0), new TimeOnly(18, 0), Weekdays, [new DateOnly(2026, 2, 17), new DateOnly(2026, 2, 18)]);
        BusinessCalendar[] calendars = [Singapore, berlin, nightBerlin, newYork, withHolidays, BusinessCalendar.AlwaysOpen];
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            foreach (var calendar in calendars)
                for (var i = 0; i < 25; i++)
                {
                    var from = start.AddTicks(random.NextInt64(TimeSpan.FromDays(365).Ticks)).ToOffset(TimeSpan.FromMinutes(15 * random.Next(-48, 57)));
                    var d = TimeSpan.FromTicks(random.NextInt64(TimeSpan.FromHours(random.Next(2) == 0 ? 12 : 400).Ticks));
                    var end = calendar.AddBusinessTime(from, d);
                    Assert.Equal(d, calendar.BusinessTimeBetween(from, end));
                    if (d > TimeSpan.Zero) Assert.True(calendar.BusinessTimeBetween(from, end.AddTicks(-1)) < d, $"seed {seed}: {end} is not the first instant");
                    var mid = from.AddTicks(random.NextInt64(Math.Max(1, (end - from).Ticks)));
                    Assert.Equal(d, calendar.BusinessTimeBetween(from, mid) + calendar.BusinessTimeBetween(mid, end));
                }
        }
    }

    [Fact]
    public void Invalid_calendars_say_what_is_wrong()
    {
        var closeBeforeOpen = Assert.Throws<BusinessHoursException>(() => BusinessCalendar.Create("Asia/Singapore", new TimeOnly(22, 0), new TimeOnly(6, 0), Weekdays));
        Assert.Equal("close", closeBeforeOpen.ParamName);
        Assert.Contains("Overnight shifts", closeBeforeOpen.Message);
        Assert.Equal("close", Assert.Throws<BusinessHoursException>(() => BusinessCalendar.Create("Asia/Singapore", new TimeOnly(9, 0), new TimeOnly(9, 0), Weekdays)).ParamName);

        var zone = Assert.Throws<BusinessHoursException>(() => BusinessCalendar.Create("Mars/Olympus_Mons", new TimeOnly(9, 0), new TimeOnly(18, 0), Weekdays));
        Assert.Equal("timeZone", zone.ParamName);
        Assert.Contains("'Mars/Olympus_Mons'", zone.Message);
        Assert.Contains("IANA", zone.Message);
        Assert.Equal("timeZone", Assert.Throws<BusinessHoursException>(() => BusinessCalendar.Create(" ", new TimeOnly(9, 0), new TimeOnly(18, 0), Weekdays)).ParamName);

        var days = Assert.Throws<BusinessHoursException>(() => BusinessCalendar.Create("Asia/Singapore", new TimeOnly(9, 0), new TimeOnly(18, 0), []));
        Assert.Equal("days", days.ParamName);
        Assert.Contains("at least one day", days.Message);
        Assert.Equal("days", Assert.Throws<BusinessHoursException>(() => BusinessCalendar.Create("Asia/Singapore", new TimeOnly(9, 0), new TimeOnly(18, 0), [(DayOfWeek)7])).ParamName);
        Assert.IsAssignableFrom<ArgumentException>(days);
    }
}
