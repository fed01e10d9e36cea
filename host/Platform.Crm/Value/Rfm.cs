namespace Platform.Crm.Value;

/// <summary>The named RFM segments.</summary>
public enum RfmSegment
{
    Champions,
    Loyal,
    PotentialLoyalists,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLose,
    Hibernating,
    Lost,
}

/// <summary>One customer's raw RFM measures.</summary>
/// <param name="RecencyDays">Days since the last purchase (smaller is more recent).</param>
/// <param name="Frequency">Number of purchases (purchase days).</param>
/// <param name="Monetary">Total spend.</param>
public sealed record RfmInput(string CustomerId, double RecencyDays, double Frequency, double Monetary);

/// <summary>One customer's RFM quintiles (1–5, 5 best) and segment.</summary>
public sealed record RfmScore(string CustomerId, int R, int F, int M, RfmSegment Segment)
{
    /// <summary>The F and M scores averaged, rounding halves up.</summary>
    public int FM => Rfm.CombineFm(F, M);
}

/// <summary>
/// RFM scoring within one merchant's population. Each measure becomes a percentile rank
/// (<see cref="Percentile.Ranks"/>; recency ranked so that more recent is higher) and then a quintile 1–5, so
/// equal values always get equal scores. The segment comes from R and FM = round-half-up((F + M) / 2) by the
/// common RFM segment map:
/// <code>
///        FM=1            FM=2                FM=3                FM=4       FM=5
/// R=5    new             potential loyalists potential loyalists champions  champions
/// R=4    promising       potential loyalists potential loyalists loyal      loyal
/// R=3    about to sleep  about to sleep      need attention      loyal      loyal
/// R=2    hibernating     hibernating         at risk             at risk    can't lose
/// R=1    lost            lost                at risk             at risk    can't lose
/// </code>
/// </summary>
public static class Rfm
{
    private static readonly RfmSegment[,] Grid =
    {
        // FM:   1                          2                               3                               4                    5
        /* R=1 */ { RfmSegment.Lost,         RfmSegment.Lost,               RfmSegment.AtRisk,              RfmSegment.AtRisk,   RfmSegment.CantLose },
        /* R=2 */ { RfmSegment.Hibernating,  RfmSegment.Hibernating,        RfmSegment.AtRisk,              RfmSegment.AtRisk,   RfmSegment.CantLose },
        /* R=3 */ { RfmSegment.AboutToSleep, RfmSegment.AboutToSleep,       RfmSegment.NeedAttention,       RfmSegment.Loyal,    RfmSegment.Loyal },
        /* R=4 */ { RfmSegment.Promising,    RfmSegment.PotentialLoyalists, RfmSegment.PotentialLoyalists,  RfmSegment.Loyal,    RfmSegment.Loyal },
        /* R=5 */ { RfmSegment.New,          RfmSegment.PotentialLoyalists, RfmSegment.PotentialLoyalists,  RfmSegment.Champions, RfmSegment.Champions },
    };

    /// <summary>Scores every customer of one population; results are in input order.</summary>
    public static IReadOnlyList<RfmScore> Score(IReadOnlyList<RfmInput> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        foreach (var c in customers)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(customers));
            NonNegative(c.RecencyDays, nameof(RfmInput.RecencyDays));
            NonNegative(c.Frequency, nameof(RfmInput.Frequency));
            NonNegative(c.Monetary, nameof(RfmInput.Monetary));
        }
        var r = Percentile.Ranks(customers.Select(c => -c.RecencyDays).ToArray());
        var f = Percentile.Ranks(customers.Select(c => c.Frequency).ToArray());
        var m = Percentile.Ranks(customers.Select(c => c.Monetary).ToArray());
        var scores = new RfmScore[customers.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            int rs = Percentile.Quintile(r[i]), fs = Percentile.Quintile(f[i]), ms = Percentile.Quintile(m[i]);
            scores[i] = new RfmScore(customers[i].CustomerId, rs, fs, ms, Segment(rs, CombineFm(fs, ms)));
        }
        return scores;
    }

    /// <summary>The segment of an R score and a combined FM score (both 1–5).</summary>
    public static RfmSegment Segment(int r, int fm)
    {
        if (r is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(r), r, "R score must be 1–5.");
        if (fm is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(fm), fm, "FM score must be 1–5.");
        return Grid[r - 1, fm - 1];
    }

    /// <summary>(F + M) / 2 rounded half up: (4, 5) → 5, (1, 2) → 2.</summary>
    public static int CombineFm(int f, int m) => (f + m + 1) / 2;

    /// <summary>The display name of a segment, as in the CRM documentation.</summary>
    public static string Label(RfmSegment segment) => segment switch
    {
        RfmSegment.Champions => "champions",
        RfmSegment.Loyal => "loyal",
        RfmSegment.PotentialLoyalists => "potential loyalists",
        RfmSegment.New => "new",
        RfmSegment.Promising => "promising",
        RfmSegment.NeedAttention => "need attention",
        RfmSegment.AboutToSleep => "about to sleep",
        RfmSegment.AtRisk => "at risk",
        RfmSegment.CantLose => "can't lose",
        RfmSegment.Hibernating => "hibernating",
        RfmSegment.Lost => "lost",
        _ => throw new ArgumentOutOfRangeException(nameof(segment), segment, null),
    };

    /// <summary>
    /// RFM measures from a transaction log as of a day: recency = days from the last purchase day to
    /// <paramref name="asOf"/>, frequency = distinct purchase days, monetary = total spend. Purchases after
    /// <paramref name="asOf"/> are ignored; customers without purchases by then are left out.
    /// </summary>
    public static IReadOnlyList<RfmInput> Inputs(IEnumerable<Transaction> transactions, DateOnly asOf) =>
        SummaryBuilder.DailyTotals(transactions)
            .Select(kv => (Id: kv.Key, Days: kv.Value.Where(d => d.Key <= asOf).ToList()))
            .Where(c => c.Days.Count > 0)
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => new RfmInput(c.Id, asOf.DayNumber - c.Days[^1].Key.DayNumber, c.Days.Count,
                (double)c.Days.Sum(d => d.Value)))
            .ToList();

    private static void NonNegative(double v, string name)
    {
        if (!double.IsFinite(v) || v < 0) throw new ArgumentException($"{name} must be a finite number ≥ 0, got {v}.", name);
    }
}
