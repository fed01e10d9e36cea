namespace Platform.Crm.Value;

/// <summary>
/// A population's values, sorted, for percentile ranks of any value later (a customer rescored after a sync batch
/// is ranked within the population of the last full scoring, not re-ranking everyone). Up to
/// <see cref="ExactUpTo"/> values it keeps them all and ranks exactly as <see cref="Percentile.Ranks"/>; larger
/// populations keep evenly spaced quantiles, which ranks within ±100/<see cref="ExactUpTo"/> points.
/// </summary>
public sealed class Distribution
{
    public const int ExactUpTo = 2001;

    /// <summary>Sorted values (or quantiles).</summary>
    public double[] Points { get; init; } = [];

    /// <summary>How many values the population had.</summary>
    public int Count { get; init; }

    public static Distribution Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        foreach (var v in sorted)
            if (double.IsNaN(v)) throw new ArgumentException("a value is NaN", nameof(values));
        Array.Sort(sorted);
        if (sorted.Length <= ExactUpTo) return new Distribution { Points = sorted, Count = sorted.Length };
        var points = new double[ExactUpTo];
        for (var i = 0; i < ExactUpTo; i++)
            points[i] = sorted[(int)Math.Round((double)i * (sorted.Length - 1) / (ExactUpTo - 1))];
        return new Distribution { Points = points, Count = sorted.Length };
    }

    /// <summary>
    /// The percentile rank (0–100) of <paramref name="value"/>: 100 × (points below + ½ × points equal) / points.
    /// An empty population ranks everything 50.
    /// </summary>
    public double RankOf(double value)
    {
        if (double.IsNaN(value)) throw new ArgumentException("value is NaN", nameof(value));
        if (Points.Length == 0) return 50;
        var below = LowerBound(value);
        var notAbove = UpperBound(value);
        return 100.0 * (below + 0.5 * (notAbove - below)) / Points.Length;
    }

    private int LowerBound(double v)
    {
        int lo = 0, hi = Points.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Points[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private int UpperBound(double v)
    {
        int lo = 0, hi = Points.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Points[mid] <= v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
