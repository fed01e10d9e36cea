using System.Globalization;

namespace Platform.Crm.Loyalty;

/// <summary>One member tier: reached at <paramref name="MinSpend"/> of trailing-12-month spend (merchant currency).</summary>
/// <param name="PointsMultiplier">What an order's points are multiplied by for a member of this tier.</param>
public sealed record TierLevel(string Name, decimal MinSpend, double PointsMultiplier);

/// <summary>
/// Member tiers, lowest first (the lowest starts at 0), and the grace a member keeps a tier after their spend
/// fell below it: downgrades happen only at a periodic review, and only once the spend has stayed below the tier
/// for <see cref="GraceDays"/>; upgrades happen at once. No flapping around a threshold.
/// </summary>
public sealed record TierPolicy(IReadOnlyList<TierLevel> Levels, int GraceDays)
{
    /// <summary>Mass / Gold / Platinum / Diamond at 0 / 500 / 2,000 / 5,000 a year, multipliers 1 / 1.25 / 1.5 / 2, 90 days of grace.</summary>
    public static TierPolicy Default { get; } = new(
    [
        new TierLevel("Mass", 0m, 1.0),
        new TierLevel("Gold", 500m, 1.25),
        new TierLevel("Platinum", 2000m, 1.5),
        new TierLevel("Diamond", 5000m, 2.0),
    ], 90);

    /// <summary>Problems that make the policy unusable, each naming the offending entry (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Levels.Count == 0) problems.Add("no tiers: give at least one, starting at minSpend 0");
        for (var i = 0; i < Levels.Count; i++)
        {
            var l = Levels[i];
            if (string.IsNullOrWhiteSpace(l.Name)) problems.Add($"Levels[{i}].Name is empty");
            if (l.MinSpend < 0) problems.Add($"Levels[{i}].MinSpend is {l.MinSpend}; spend thresholds are ≥ 0");
            if (!double.IsFinite(l.PointsMultiplier) || l.PointsMultiplier < 0) problems.Add($"Levels[{i}].PointsMultiplier is {l.PointsMultiplier}; use a number ≥ 0");
            if (i == 0 && l.MinSpend != 0) problems.Add($"Levels[0].MinSpend is {l.MinSpend}; the lowest tier starts at 0 so every customer has a tier");
            if (i > 0 && l.MinSpend <= Levels[i - 1].MinSpend) problems.Add($"Levels[{i}].MinSpend {l.MinSpend} is not above Levels[{i - 1}]'s {Levels[i - 1].MinSpend}; list tiers from lowest to highest");
            if (Levels.Take(i).Any(o => string.Equals(o.Name, l.Name, StringComparison.OrdinalIgnoreCase))) problems.Add($"Levels[{i}].Name '{l.Name}' is used twice");
        }
        if (GraceDays < 0) problems.Add($"GraceDays is {GraceDays}; use 0 or more days");
        return problems;
    }

    /// <summary>The index of the highest tier the spend reaches.</summary>
    public int Qualifying(decimal spend)
    {
        var best = 0;
        for (var i = 1; i < Levels.Count; i++)
            if (spend >= Levels[i].MinSpend) best = i;
        return best;
    }

    /// <summary>The index of a tier by name (case-insensitive), or -1 when the tier is no longer configured.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Levels.Count; i++)
            if (string.Equals(Levels[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}

/// <summary>A member's tier, since when they hold it, and since when their spend has been below it (null: it is not).</summary>
public sealed record TierState(string Tier, DateTimeOffset Since, DateTimeOffset? BelowSince);

public enum TierChange { None, Joined, Upgraded, Downgraded }

/// <summary>The state after an evaluation and what changed, with the reason in words.</summary>
public sealed record TierDecision(TierState State, TierChange Change, string? Reason);

/// <summary>Tier evaluation: pure, so hysteresis can be tested over a simulated year.</summary>
public static class Tiers
{
    /// <summary>
    /// Evaluates a member with <paramref name="spend"/> of trailing-12-month spend at <paramref name="now"/>.
    /// A first evaluation places them in the tier they qualify for. A higher tier is taken at once. Spend below
    /// the current tier starts (or continues) the grace; only a <paramref name="review"/> downgrades, once the
    /// grace has run out, to the tier the spend qualifies for then. A tier no longer configured is re-placed.
    /// </summary>
    public static TierDecision Evaluate(TierPolicy policy, TierState? current, decimal spend, string currency, DateTimeOffset now, bool review)
    {
        var qualifying = policy.Qualifying(spend);
        var target = policy.Levels[qualifying];
        var index = current is null ? -1 : policy.IndexOf(current.Tier);
        if (current is null || index < 0)
        {
            var reason = qualifying == 0
                ? $"joined {target.Name}"
                : $"joined {target.Name}: trailing 12-month spend {Money(spend, currency)} reaches {target.Name}'s {Money(target.MinSpend, currency)}";
            return new TierDecision(new TierState(target.Name, now, null), TierChange.Joined, reason);
        }
        var held = policy.Levels[index];
        if (qualifying > index)
            return new TierDecision(new TierState(target.Name, now, null), TierChange.Upgraded,
                $"upgraded from {held.Name} to {target.Name}: trailing 12-month spend {Money(spend, currency)} reaches {target.Name}'s {Money(target.MinSpend, currency)}");
        if (qualifying == index)
            return new TierDecision(current.BelowSince is null ? current : current with { BelowSince = null }, TierChange.None, null);

        var below = current.BelowSince ?? now;
        if (review && (now - below).TotalDays >= policy.GraceDays)
            return new TierDecision(new TierState(target.Name, now, null), TierChange.Downgraded,
                $"downgraded from {held.Name} to {target.Name} at the periodic review: trailing 12-month spend {Money(spend, currency)} " +
                $"has been below {held.Name}'s {Money(held.MinSpend, currency)} since {below:yyyy-MM-dd} ({policy.GraceDays} days of grace)");
        return new TierDecision(current.BelowSince is null ? current with { BelowSince = below } : current, TierChange.None, null);
    }

    private static string Money(decimal amount, string currency) => amount.ToString("#,0.00", CultureInfo.InvariantCulture) + " " + currency;
}
