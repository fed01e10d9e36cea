namespace Platform.Crm.Loyalty;

/// <summary>Kinds of ledger entries.</summary>
public static class PointsKind
{
    public const string Earn = "earn", Review = "review", Reversal = "reversal", Expiry = "expiry", Manual = "manual";
}

/// <summary>
/// One ledger entry. <paramref name="Source"/> names the event it comes from (<c>order:s1:1001</c>,
/// <c>review:s1:r7</c>, <c>reversal:s1:1001</c>, <c>expiry:order:s1:1001</c>, <c>manual:…</c>) and is unique per
/// merchant, so processing an event again never adds a second entry. A reversal's <paramref name="Lot"/> is the
/// source of what it reverses.
/// </summary>
public sealed record PointsEntry(string Source, string Kind, long Points, DateTimeOffset At, string? Lot = null);

/// <summary>Earning rules (crm.md section 3).</summary>
/// <param name="PerCurrencyUnit">Points per unit of the merchant's currency, before the tier multiplier.</param>
/// <param name="ReviewBonus">Points for each review written.</param>
/// <param name="ExpiryMonths">Months after which unspent points expire (0: never).</param>
public sealed record PointsRules(decimal PerCurrencyUnit, long ReviewBonus, int ExpiryMonths)
{
    public static PointsRules Default { get; } = new(1m, 20, 12);

    /// <summary>Points an order of <paramref name="amount"/> earns at a tier multiplier (rounded down, never negative).</summary>
    public long Earned(decimal amount, double multiplier) =>
        amount <= 0 ? 0 : (long)Math.Floor(amount * PerCurrencyUnit * (decimal)multiplier);

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (PerCurrencyUnit < 0) problems.Add($"PerCurrencyUnit is {PerCurrencyUnit}; use 0 or more points per currency unit");
        if (ReviewBonus < 0) problems.Add($"ReviewBonus is {ReviewBonus}; use 0 or more points");
        if (ExpiryMonths is < 0 or > 1200) problems.Add($"ExpiryMonths is {ExpiryMonths}; use 0 (never) to 1200 months");
        return problems;
    }
}

/// <summary>
/// Expiry, first in first out: every entry that adds points is a lot that expires <see cref="PointsRules.ExpiryMonths"/>
/// after it was added; points taken out (manual deductions, reversals beyond their own lot) come from the oldest lot
/// still open; a reversal first takes back its own lot. At a lot's expiry what is left of it expires.
/// </summary>
public static class PointsLedger
{
    /// <summary>The balance: the sum of the entries.</summary>
    public static long Balance(IEnumerable<PointsEntry> entries) => entries.Sum(e => e.Points);

    /// <summary>
    /// The expiry entries due by <paramref name="now"/> that <paramref name="entries"/> do not have yet (by source),
    /// each dated at its lot's expiry. Deterministic: the same entries always give the same expiries.
    /// </summary>
    public static IReadOnlyList<PointsEntry> DueExpiries(IReadOnlyList<PointsEntry> entries, int expiryMonths, DateTimeOffset now)
    {
        if (expiryMonths <= 0) return [];
        var lots = Lots(entries, expiryMonths, now);
        var existing = entries.Where(e => e.Kind == PointsKind.Expiry).Select(e => e.Source).ToHashSet(StringComparer.Ordinal);
        return lots.Where(l => l.Expired > 0 && !existing.Contains(ExpirySource(l.Source)))
            .Select(l => new PointsEntry(ExpirySource(l.Source), PointsKind.Expiry, -l.Expired, l.ExpiresAt, l.Source))
            .ToList();
    }

    /// <summary>The points that expire next, and when (null when none are due to expire).</summary>
    public static (long Points, DateTimeOffset At)? NextExpiry(IReadOnlyList<PointsEntry> entries, int expiryMonths, DateTimeOffset now)
    {
        if (expiryMonths <= 0) return null;
        var open = Lots(entries, expiryMonths, now)
            .Where(l => l.ExpiresAt > now && l.Remaining > 0).OrderBy(l => l.ExpiresAt).FirstOrDefault();
        return open is null ? null : (open.Remaining, open.ExpiresAt);
    }

    public static string ExpirySource(string lotSource) => "expiry:" + lotSource;

    private sealed class Lot(string source, DateTimeOffset expiresAt, long points)
    {
        public string Source { get; } = source;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public long Remaining { get; set; } = points;
        public long Expired { get; set; }
    }

    /// <summary>Replays the entries (without expiries) and the lots' expiry dates up to <paramref name="until"/>, in time order.</summary>
    private static List<Lot> Lots(IReadOnlyList<PointsEntry> entries, int expiryMonths, DateTimeOffset until)
    {
        var lots = new List<Lot>();
        var bySource = new Dictionary<string, Lot>(StringComparer.Ordinal);
        // Same instant: additions before deductions; then by source, so the replay is deterministic.
        var ordered = entries.Where(e => e.Kind != PointsKind.Expiry)
            .OrderBy(e => e.At).ThenBy(e => e.Points < 0).ThenBy(e => e.Source, StringComparer.Ordinal).ToList();
        var pending = new PriorityQueue<Lot, (DateTimeOffset, int)>();
        var sequence = 0;
        void ExpireUpTo(DateTimeOffset t)
        {
            while (pending.TryPeek(out var lot, out var key) && key.Item1 <= t && key.Item1 <= until)
            {
                pending.Dequeue();
                lot.Expired = lot.Remaining;
                lot.Remaining = 0;
            }
        }
        foreach (var e in ordered)
        {
            ExpireUpTo(e.At);
            if (e.Points > 0)
            {
                var lot = new Lot(e.Source, e.At.AddMonths(expiryMonths), e.Points);
                lots.Add(lot);
                bySource[e.Source] = lot;
                pending.Enqueue(lot, (lot.ExpiresAt, sequence++));
                continue;
            }
            var owed = -e.Points;
            if (e.Lot is not null && bySource.TryGetValue(e.Lot, out var own))
            {
                var take = Math.Min(own.Remaining, owed);
                own.Remaining -= take;
                owed -= take;
            }
            foreach (var lot in lots)
            {
                if (owed == 0) break;
                var take = Math.Min(lot.Remaining, owed);
                lot.Remaining -= take;
                owed -= take;
            }
        }
        ExpireUpTo(until);
        return lots;
    }
}
