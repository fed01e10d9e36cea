namespace Platform.Crm.Money;

/// <summary>One configured rate: one unit of <see cref="From"/> is worth <see cref="Rate"/> units of <see cref="To"/> from <see cref="EffectiveFrom"/> on (null: always).</summary>
public sealed record DatedRate(string From, string To, DateOnly? EffectiveFrom, decimal Rate);

/// <summary>
/// Conversion rates between currencies, each in effect from its date until the next rate of the same pair.
/// The earliest rate of a pair also covers earlier dates (rates are usually configured from "now" while
/// history is older); a pair configured one way converts the other way with the inverse rate.
/// </summary>
public sealed class ExchangeRates
{
    private readonly Dictionary<string, DatedRate[]> pairs = new(StringComparer.OrdinalIgnoreCase);

    public static ExchangeRates None { get; } = new([]);

    public ExchangeRates(IEnumerable<DatedRate> rates)
    {
        foreach (var group in rates.GroupBy(r => Key(r.From, r.To), StringComparer.OrdinalIgnoreCase))
        {
            var sorted = group.OrderBy(r => r.EffectiveFrom ?? DateOnly.MinValue).ToArray();
            foreach (var r in sorted)
                if (r.Rate <= 0) throw new ArgumentException($"{group.Key}: a rate must be greater than 0, not {r.Rate}", nameof(rates));
            for (var i = 1; i < sorted.Length; i++)
                if ((sorted[i].EffectiveFrom ?? DateOnly.MinValue) == (sorted[i - 1].EffectiveFrom ?? DateOnly.MinValue))
                    throw new ArgumentException($"{group.Key}: two rates from {sorted[i].EffectiveFrom?.ToString("yyyy-MM-dd") ?? "the start"}", nameof(rates));
            pairs[group.Key] = sorted;
        }
    }

    /// <summary>The configured pairs, <c>FROM-TO</c>.</summary>
    public IEnumerable<string> Pairs => pairs.Keys;

    /// <summary>The rate from <paramref name="from"/> into <paramref name="to"/> in effect on <paramref name="on"/>; 1 for the same currency; null when none is configured.</summary>
    public decimal? Rate(string from, string to, DateOnly on)
    {
        if (string.Equals(from, to, StringComparison.OrdinalIgnoreCase)) return 1m;
        if (pairs.TryGetValue(Key(from, to), out var direct)) return InEffect(direct, on);
        if (pairs.TryGetValue(Key(to, from), out var inverse)) return 1m / InEffect(inverse, on);
        return null;
    }

    /// <summary><paramref name="amount"/> in <paramref name="to"/> at the rate in effect on <paramref name="on"/>; null when no rate is configured.</summary>
    public decimal? Convert(decimal amount, string from, string to, DateOnly on) => Rate(from, to, on) * amount;

    private static decimal InEffect(DatedRate[] rates, DateOnly on)
    {
        // Last rate whose date is on or before the day; the first one when the day is earlier than all of them.
        var chosen = rates[0];
        foreach (var r in rates)
        {
            if ((r.EffectiveFrom ?? DateOnly.MinValue) > on) break;
            chosen = r;
        }
        return chosen.Rate;
    }

    private static string Key(string from, string to) => $"{from}-{to}".ToUpperInvariant();
}
