using Platform.Crm.Loyalty;
using Xunit;

namespace Platform.Crm.Tests.Loyalty;

public class PointsLedgerTests
{
    private static readonly DateTimeOffset Jan = new(2025, 1, 10, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Earned_points_are_amount_times_rate_times_multiplier_rounded_down()
    {
        var rules = new PointsRules(2m, 20, 12);
        Assert.Equal(251, rules.Earned(100.40m, 1.25));
        Assert.Equal(0, rules.Earned(-5m, 2));
        Assert.Equal(0, rules.Earned(0.2m, 1));
    }

    [Fact]
    public void Deductions_use_the_oldest_lot_first_and_what_is_left_of_a_lot_expires()
    {
        PointsEntry[] entries =
        [
            new("order:s1:1", PointsKind.Earn, 100, Jan),
            new("order:s1:2", PointsKind.Earn, 50, Jan.AddMonths(2)),
            new("manual:a", PointsKind.Manual, -120, Jan.AddMonths(3)),
        ];
        // The deduction empties January's lot and takes 20 of March's: nothing expires in January, 30 in March.
        Assert.Empty(PointsLedger.DueExpiries(entries, 12, Jan.AddMonths(12).AddDays(1)));
        var due = Assert.Single(PointsLedger.DueExpiries(entries, 12, Jan.AddMonths(14).AddDays(1)));
        Assert.Equal(("expiry:order:s1:2", -30L, Jan.AddMonths(14)), (due.Source, due.Points, due.At));
        Assert.Equal(0, PointsLedger.Balance([.. entries, due]));
    }

    [Fact]
    public void A_lot_expired_before_a_deduction_is_not_used_by_it()
    {
        PointsEntry[] entries =
        [
            new("order:s1:1", PointsKind.Earn, 100, Jan),
            new("order:s1:2", PointsKind.Earn, 40, Jan.AddMonths(11)),
            new("manual:a", PointsKind.Manual, -30, Jan.AddMonths(13)),
        ];
        var due = PointsLedger.DueExpiries(entries, 12, Jan.AddMonths(24));
        Assert.Equal([("expiry:order:s1:1", -100L), ("expiry:order:s1:2", -10L)], due.Select(d => (d.Source, d.Points)).ToArray());
    }

    [Fact]
    public void A_reversal_takes_back_its_own_lot_first()
    {
        PointsEntry[] entries =
        [
            new("order:s1:1", PointsKind.Earn, 100, Jan),
            new("order:s1:2", PointsKind.Earn, 60, Jan.AddDays(1)),
            new("reversal:s1:2", PointsKind.Reversal, -60, Jan.AddDays(5), Lot: "order:s1:2"),
        ];
        var due = Assert.Single(PointsLedger.DueExpiries(entries, 12, Jan.AddMonths(13)));
        Assert.Equal(("expiry:order:s1:1", -100L), (due.Source, due.Points));
    }

    [Fact]
    public void Expiries_already_in_the_ledger_are_not_due_again_and_none_without_expiry()
    {
        var earn = new PointsEntry("review:s1:r1", PointsKind.Review, 20, Jan);
        var first = PointsLedger.DueExpiries([earn], 12, Jan.AddYears(2));
        Assert.Single(first);
        Assert.Empty(PointsLedger.DueExpiries([earn, .. first], 12, Jan.AddYears(3)));
        Assert.Empty(PointsLedger.DueExpiries([earn], 0, Jan.AddYears(30)));
    }

    [Fact]
    public void Next_expiry_is_the_oldest_open_lot()
    {
        PointsEntry[] entries = [new("order:s1:1", PointsKind.Earn, 100, Jan), new("order:s1:2", PointsKind.Earn, 70, Jan.AddMonths(1)), new("manual:x", PointsKind.Manual, -100, Jan.AddDays(3))];
        Assert.Equal((70L, Jan.AddMonths(13)), PointsLedger.NextExpiry(entries, 12, Jan.AddMonths(2)));
        Assert.Null(PointsLedger.NextExpiry(entries, 0, Jan));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Balance_equals_the_sum_of_entries_and_expiry_never_takes_more_than_was_added(int seed)
    {
        var random = new Random(seed);
        var entries = new List<PointsEntry>();
        for (var i = 0; i < 200; i++)
        {
            var at = Jan.AddDays(random.Next(0, 900));
            entries.Add(random.Next(4) == 0
                ? new PointsEntry($"manual:{i}", PointsKind.Manual, -random.Next(1, 80), at)
                : new PointsEntry($"order:s1:{i}", PointsKind.Earn, random.Next(1, 200), at));
        }
        var now = Jan.AddDays(1000);
        var due = PointsLedger.DueExpiries(entries, 12, now);
        Assert.All(due, d => Assert.True(d.Points < 0 && d.At <= now));
        var added = entries.Where(e => e.Points > 0).Sum(e => e.Points);
        Assert.True(-due.Sum(d => d.Points) <= added); // never more than the lots held
        var all = entries.Concat(due).ToList();
        Assert.Equal(all.Sum(e => e.Points), PointsLedger.Balance(all));
        Assert.Empty(PointsLedger.DueExpiries(all, 12, now)); // processing again adds nothing
        Assert.All(due, d => Assert.Contains(entries, e => d.Lot == e.Source && d.Points >= -e.Points));
    }
}
