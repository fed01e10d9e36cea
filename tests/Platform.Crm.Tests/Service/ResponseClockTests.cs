using Platform.Crm.Service;
using Xunit;

namespace Platform.Crm.Tests.Service;

/// <summary>Response targets on fixed instants: Mon–Fri 09:00–18:00 in Singapore, March 2026.</summary>
public class ResponseClockTests
{
    private static readonly BusinessCalendar Singapore = BusinessCalendar.Create("Asia/Singapore", new TimeOnly(9, 0), new TimeOnly(18, 0),
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);

    private static DateTimeOffset Sg(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static TimeSpan H(double hours) => TimeSpan.FromHours(hours);

    [Fact]
    public void Default_targets_are_the_same_business_day_and_a_breach_after_72_hours()
    {
        Assert.Equal(new ResponseTargets(true, H(72)), ResponseTargets.Default);
    }

    [Fact]
    public void Friday_afternoon_answered_Monday_misses_the_target_but_is_not_breached()
    {
        var a = ResponseClock.Assess(Singapore, ResponseTargets.Default, Sg(13, 17), Sg(16, 10), null, Sg(16, 12));
        Assert.Equal(Sg(13, 18), a.DueAt);
        Assert.Equal(Sg(16, 17), a.BreachAt);
        Assert.Equal(H(65), a.FirstResponse);
        Assert.Equal(H(2), a.FirstResponseBusiness);
        Assert.False(a.MetTarget);
        Assert.False(a.Breached); // 65 h < 72 h
        Assert.Null(a.Resolution);
    }

    [Fact]
    public void A_reply_before_the_close_meets_the_target_and_the_close_itself_counts()
    {
        Assert.True(ResponseClock.Assess(Singapore, ResponseTargets.Default, Sg(17, 7), Sg(17, 11), null, Sg(17, 12)).MetTarget);
        var atClose = ResponseClock.Assess(Singapore, ResponseTargets.Default, Sg(17, 10), Sg(17, 18), Sg(18, 9), Sg(18, 12));
        Assert.True(atClose.MetTarget);
        Assert.Equal(H(8), atClose.FirstResponseBusiness);
        Assert.Equal(H(23), atClose.Resolution);
        // A Saturday message answered Monday afternoon is on time: due Monday 18:00.
        var saturday = ResponseClock.Assess(Singapore, ResponseTargets.Default, Sg(14, 10), Sg(16, 15), null, Sg(16, 16));
        Assert.Equal(Sg(16, 18), saturday.DueAt);
        Assert.True(saturday.MetTarget);
        Assert.Equal(H(6), saturday.FirstResponseBusiness);
    }

    [Fact]
    public void The_breach_boundary_is_inclusive()
    {
        var opened = Sg(16, 10);
        var breachAt = opened + H(72);
        var exactly = ResponseClock.Assess(Singapore, ResponseTargets.Default, opened, breachAt, null, breachAt + H(1));
        Assert.False(exactly.Breached);
        Assert.Equal(breachAt, exactly.BreachAt);
        Assert.True(ResponseClock.Assess(Singapore, ResponseTargets.Default, opened, breachAt.AddTicks(1), null, breachAt + H(1)).Breached);

        // No response: breached only once now is past BreachAt.
        Assert.False(ResponseClock.Assess(Singapore, ResponseTargets.Default, opened, null, null, breachAt).Breached);
        Assert.True(ResponseClock.Assess(Singapore, ResponseTargets.Default, opened, null, null, breachAt.AddTicks(1)).Breached);
    }

    [Fact]
    public void No_response_yet_before_and_after_the_breach()
    {
        var before = ResponseClock.Assess(Singapore, ResponseTargets.Default, Sg(16, 10), null, null, Sg(17, 10));
        Assert.Equal(new ResponseAssessment(Sg(16, 18), Sg(19, 10), null, null, false, false, null), before);
        var after = ResponseClock.Assess(Singapore, ResponseTargets.Default, Sg(16, 10), null, null, Sg(20, 10));
        Assert.True(after.Breached);
        Assert.False(after.MetTarget);
        Assert.Null(after.FirstResponse);
    }

    [Fact]
    public void Without_the_same_day_target_a_reply_before_the_breach_meets_it()
    {
        var targets = new ResponseTargets(false, H(72));
        var a = ResponseClock.Assess(Singapore, targets, Sg(13, 17), Sg(16, 10), null, Sg(16, 12));
        Assert.Null(a.DueAt);
        Assert.True(a.MetTarget);
        Assert.False(ResponseClock.Assess(Singapore, targets, Sg(13, 17), Sg(16, 18), null, Sg(16, 19)).MetTarget);
    }

    [Fact]
    public void A_breach_before_the_same_day_deadline_misses_the_target()
    {
        var targets = new ResponseTargets(true, H(2)); // breached after 2 hours, due at the close
        var a = ResponseClock.Assess(Singapore, targets, Sg(17, 9), Sg(17, 12), null, Sg(17, 12));
        Assert.Equal(Sg(17, 18), a.DueAt);
        Assert.True(a.Breached);
        Assert.False(a.MetTarget);
    }

    [Fact]
    public void Times_stamped_before_the_opening_count_as_immediate_and_a_zero_breach_is_refused()
    {
        var a = ResponseClock.Assess(Singapore, ResponseTargets.Default, Sg(17, 10), Sg(17, 9, 59), Sg(17, 9, 58), Sg(17, 11));
        Assert.Equal(TimeSpan.Zero, a.FirstResponse);
        Assert.Equal(TimeSpan.Zero, a.FirstResponseBusiness);
        Assert.Equal(TimeSpan.Zero, a.Resolution);
        Assert.True(a.MetTarget);
        Assert.Throws<ArgumentOutOfRangeException>(() => ResponseClock.Assess(Singapore, new ResponseTargets(true, TimeSpan.Zero), Sg(17, 10), null, null, Sg(17, 11)));
    }
}
