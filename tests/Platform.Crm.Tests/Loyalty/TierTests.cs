using Xunit;
using Platform.Crm.Loyalty;

namespace Platform.Crm.Tests.Loyalty;

public class TierTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TierPolicy Policy = TierPolicy.Default; // Mass 0, Gold 500, Platinum 2000, Diamond 5000; 90 days grace

    [Fact]
    public void First_evaluation_places_the_customer_in_the_tier_their_spend_reaches()
    {
        var d = Tiers.Evaluate(Policy, null, 2_400m, "USD", Start, review: false);
        Assert.Equal(TierChange.Joined, d.Change);
        Assert.Equal("Platinum", d.State.Tier);
        Assert.Contains("2,400.00 USD", d.Reason);
        Assert.Equal("Mass", Tiers.Evaluate(Policy, null, 0m, "USD", Start, false).State.Tier);
    }

    [Fact]
    public void Upgrade_is_immediate_even_between_reviews()
    {
        var gold = new TierState("Gold", Start, null);
        var d = Tiers.Evaluate(Policy, gold, 5_000m, "USD", Start.AddDays(3), review: false);
        Assert.Equal(TierChange.Upgraded, d.Change);
        Assert.Equal("Diamond", d.State.Tier);
        Assert.Equal(Start.AddDays(3), d.State.Since);
        Assert.Contains("from Gold to Diamond", d.Reason);
    }

    [Fact]
    public void Downgrade_waits_for_a_review_after_the_grace_period()
    {
        var state = new TierState("Gold", Start, null);
        var low = Tiers.Evaluate(Policy, state, 100m, "USD", Start.AddDays(10), review: true);
        Assert.Equal(TierChange.None, low.Change); // grace starts
        Assert.Equal(Start.AddDays(10), low.State.BelowSince);
        var notReview = Tiers.Evaluate(Policy, low.State, 100m, "USD", Start.AddDays(200), review: false);
        Assert.Equal(TierChange.None, notReview.Change); // grace over, but not a review
        var early = Tiers.Evaluate(Policy, low.State, 100m, "USD", Start.AddDays(99), review: true);
        Assert.Equal(TierChange.None, early.Change); // 89 days below
        var due = Tiers.Evaluate(Policy, low.State, 100m, "USD", Start.AddDays(100), review: true);
        Assert.Equal(TierChange.Downgraded, due.Change);
        Assert.Equal("Mass", due.State.Tier);
        Assert.Contains("since 2026-01-11", due.Reason);
    }

    [Fact]
    public void Spend_back_above_the_tier_ends_the_grace()
    {
        var below = new TierState("Gold", Start, Start.AddDays(5));
        var back = Tiers.Evaluate(Policy, below, 600m, "USD", Start.AddDays(50), review: true);
        Assert.Equal(TierChange.None, back.Change);
        Assert.Null(back.State.BelowSince);
        // A new dip starts a new grace: 95 days after the first dip but only 10 after the second, no downgrade.
        var dip = Tiers.Evaluate(Policy, back.State, 10m, "USD", Start.AddDays(90), review: true);
        Assert.Equal(TierChange.None, Tiers.Evaluate(Policy, dip.State, 10m, "USD", Start.AddDays(100), review: true).Change);
    }

    [Fact]
    public void A_tier_removed_from_configuration_is_replaced_by_the_qualifying_one()
    {
        var d = Tiers.Evaluate(Policy, new TierState("Silver", Start, null), 700m, "USD", Start.AddDays(1), false);
        Assert.Equal(TierChange.Joined, d.Change);
        Assert.Equal("Gold", d.State.Tier);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Over_a_simulated_year_spend_around_a_threshold_never_flaps(int seed)
    {
        // Daily evaluations of a spend that wanders around Gold's 500 threshold; reviews on the 1st of each month.
        var random = new Random(seed);
        TierState? state = null;
        var spend = 480m;
        var changes = new List<(DateTimeOffset At, TierChange Change, string Tier)>();
        for (var day = 0; day < 365; day++)
        {
            var now = Start.AddDays(day);
            spend = Math.Max(0, spend + random.Next(-40, 41));
            var review = now.Day == 1;
            var d = Tiers.Evaluate(Policy, state, spend, "USD", now, review);
            if (d.Change is TierChange.Upgraded or TierChange.Downgraded) changes.Add((now, d.Change, d.State.Tier));
            // Invariants: upgrade exactly when the spend reaches a higher tier; downgrades only on review days,
            // after at least the grace below the tier.
            if (state is not null && Policy.Qualifying(spend) > Policy.IndexOf(state.Tier)) Assert.Equal(TierChange.Upgraded, d.Change);
            if (d.Change == TierChange.Downgraded)
            {
                Assert.True(review);
                Assert.True((now - state!.BelowSince!.Value).TotalDays >= Policy.GraceDays);
            }
            state = d.State;
        }
        // No downgrade follows an upgrade within the grace period.
        for (var i = 1; i < changes.Count; i++)
            if (changes[i].Change == TierChange.Downgraded)
                Assert.True((changes[i].At - changes[i - 1].At).TotalDays >= Policy.GraceDays, $"downgraded {changes[i].At:d}, {changes[i - 1].Change} {changes[i - 1].At:d}");
    }

    [Fact]
    public void Policy_problems_name_the_entry()
    {
        var bad = new TierPolicy([new TierLevel("Base", 10m, 1), new TierLevel("Gold", 5m, 1), new TierLevel("gold", 50m, -1)], -1);
        var problems = bad.Problems();
        Assert.Contains(problems, p => p.StartsWith("Levels[0].MinSpend is 10"));
        Assert.Contains(problems, p => p.StartsWith("Levels[1].MinSpend 5 is not above"));
        Assert.Contains(problems, p => p.StartsWith("Levels[2].PointsMultiplier"));
        Assert.Contains(problems, p => p.StartsWith("Levels[2].Name 'gold' is used twice"));
        Assert.Contains(problems, p => p.StartsWith("GraceDays"));
        Assert.Empty(TierPolicy.Default.Problems());
    }
}
