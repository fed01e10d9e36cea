namespace Platform.Crm.Value;

/// <summary>
/// Percentile ranks within a population, 0–100: 100 × (values below + ½ × values equal) / n, the textbook
/// percentile rank. Equal values get equal ranks, the result does not depend on input order, a lone value (or a
/// population of equal values) ranks 50, and n distinct values rank 50/n, 150/n, …, 100 − 50/n.
/// </summary>
public static class Percentile
{
    /// <summary>The percentile rank of each value, in input order. Throws for NaN.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        var ranks = new double[n];
        if (n == 0) return ranks;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (double.IsNaN(values[i])) throw new ArgumentException($"values[{i}] is NaN.", nameof(values));
            order[i] = i;
        }
        Array.Sort(order, (i, j) => values[i].CompareTo(values[j]));
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) end++;
            var rank = 100.0 * (start + 0.5 * (end - start + 1)) / n;
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>The percentile rank of <paramref name="value"/> within <paramref name="population"/>.</summary>
    public static double RankOf(double value, IEnumerable<double> population)
    {
        ArgumentNullException.ThrowIfNull(population);
        if (double.IsNaN(value)) throw new ArgumentException("value is NaN.", nameof(value));
        int n = 0, below = 0, equal = 0;
        foreach (var v in population)
        {
            if (double.IsNaN(v)) throw new ArgumentException("population contains NaN.", nameof(population));
            n++;
            if (v < value) below++;
            else if (v == value) equal++;
        }
        return n == 0 ? 50 : 100.0 * (below + 0.5 * equal) / n;
    }

    /// <summary>The quintile (1–5) of a percentile rank: [0, 20) → 1, …, [80, 100] → 5.</summary>
    public static int Quintile(double percentile)
    {
        if (double.IsNaN(percentile) || percentile < 0 || percentile > 100)
            throw new ArgumentException($"percentile must be in 0..100, got {percentile}.", nameof(percentile));
        return Math.Min(5, 1 + (int)(percentile / 20));
    }
}
