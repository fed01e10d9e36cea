using System.Runtime.InteropServices;

namespace Platform.Crm.Insights;

/// <summary>One order as a market basket: its distinct SKUs (quantities do not matter; a SKU listed twice counts once).</summary>
public sealed record Basket(string OrderId, IReadOnlyCollection<string> Skus);

/// <summary>
/// What a rule must reach to be reported. <paramref name="MinSupport"/> and <paramref name="MinConfidence"/> are shares
/// in [0, 1], <paramref name="MinLift"/> is ≥ 0 (1 = no better than chance), <paramref name="MinCount"/> is the fewest
/// baskets holding both SKUs (≥ 1), and <paramref name="Max"/> caps the list (1–1,000).
/// </summary>
public sealed record RuleThresholds(double MinSupport = 0.001, double MinConfidence = 0.1, double MinLift = 1.0, int MinCount = 2, int Max = 100);

/// <summary>
/// "Customers who bought <see cref="Antecedent"/> also bought <see cref="Consequent"/>", with N = all baskets:
/// <see cref="Count"/> = baskets holding both, <see cref="AntecedentCount"/> / <see cref="ConsequentCount"/> = baskets
/// holding each, <see cref="Support"/> = Count / N, <see cref="Confidence"/> = Count / AntecedentCount (the share of
/// the antecedent's baskets that also hold the consequent) and <see cref="Lift"/> = Confidence / (ConsequentCount / N)
/// (how many times likelier the consequent is next to the antecedent than in any basket).
/// </summary>
public sealed record AssociationRule(string Antecedent, string Consequent, int Count, int AntecedentCount, int ConsequentCount, double Support, double Confidence, double Lift);

/// <summary>
/// Pairwise association rules (one SKU → one SKU), the "bought together" / cross-sell list. SKUs are compared
/// ordinally (case-sensitive); null or empty SKUs are ignored; a basket with no SKUs, or only one, counts in N but
/// forms no pair. Memory is linear in the baskets' SKU occurrences plus the catalogue; it does not grow with the
/// number of distinct pairs.
/// </summary>
public static class BoughtTogether
{
    /// <summary>
    /// All rules meeting <paramref name="thresholds"/>, for the whole catalogue (<paramref name="sku"/> null) or only
    /// those whose antecedent is <paramref name="sku"/>; strongest first (lift, then confidence, then count, all
    /// descending, then antecedent and consequent ordinally), at most <see cref="RuleThresholds.Max"/>.
    /// </summary>
    /// <remarks>
    /// Apriori-style: a pair can only reach the count and support thresholds if each of its SKUs does, so SKUs in
    /// fewer than max(MinCount, ⌊MinSupport·N⌋) baskets are dropped before pairs are counted. Pairs are then counted
    /// per antecedent in a dense array over the remaining SKUs (interned to int ids), and only the best
    /// <see cref="RuleThresholds.Max"/> rules are kept in a heap.
    /// </remarks>
    public static IReadOnlyList<AssociationRule> Rules(IEnumerable<Basket> baskets, RuleThresholds thresholds, string? sku = null)
    {
        ArgumentNullException.ThrowIfNull(baskets);
        ArgumentNullException.ThrowIfNull(thresholds);
        Validate(thresholds);

        // Pass 1: intern SKUs, count the baskets holding each, keep baskets of two or more distinct SKUs (sorted ids).
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var itemCounts = new List<int>();
        var flat = new List<int>();
        var starts = new List<int> { 0 };
        var scratch = new int[16];
        var n = 0;
        foreach (var basket in baskets)
        {
            if (basket?.Skus is null) throw new ArgumentException("A basket or its Skus is null.", nameof(baskets));
            n++;
            var len = 0;
            foreach (var s in basket.Skus)
            {
                if (string.IsNullOrEmpty(s)) continue;
                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, s, out var known);
                if (!known)
                {
                    id = names.Count;
                    names.Add(s);
                    itemCounts.Add(0);
                }
                if (len == scratch.Length) Array.Resize(ref scratch, len * 2);
                scratch[len++] = id;
            }
            var distinct = SortDistinct(scratch.AsSpan(0, len));
            foreach (var id in distinct) itemCounts[id]++;
            if (distinct.Length < 2) continue;
            flat.AddRange((ReadOnlySpan<int>)distinct);
            starts.Add(flat.Count);
        }
        if (n == 0) return [];

        // Prune SKUs that cannot reach the thresholds; renumber the rest densely in the same order (baskets stay sorted).
        var minItem = Math.Max(thresholds.MinCount, (int)Math.Min(int.MaxValue, Math.Floor(thresholds.MinSupport * n)));
        var dense = new int[names.Count];
        var counts = new List<int>();
        var kept = new List<string>();
        for (var i = 0; i < dense.Length; i++)
        {
            if (itemCounts[i] < minItem) { dense[i] = -1; continue; }
            dense[i] = counts.Count;
            counts.Add(itemCounts[i]);
            kept.Add(names[i]);
        }
        var target = -1;
        if (sku is not null && (!ids.TryGetValue(sku, out var skuId) || (target = dense[skuId]) < 0)) return [];

        var items = CollectionsMarshal.AsSpan(flat);
        var bounds = CollectionsMarshal.AsSpan(starts);
        var basketCount = 0;
        var write = 0;
        var next = bounds[0];
        for (var b = 0; b + 1 < bounds.Length; b++)
        {
            var (begin, end) = (write, bounds[b + 1]); // read before bounds[b + 1] may be overwritten below
            for (var p = next; p < end; p++)
                if (dense[items[p]] is var d and >= 0) items[write++] = d;
            next = end;
            if (write - begin < 2) write = begin;
            else bounds[++basketCount] = write;
        }
        items = items[..write];
        bounds = bounds[..(basketCount + 1)];

        var best = new Best(thresholds, n, counts.ToArray(), kept.ToArray());
        var co = new int[counts.Count];
        var touched = new List<int>();
        if (target >= 0)
        {
            for (var b = 0; b < basketCount; b++)
            {
                var basket = items[bounds[b]..bounds[b + 1]];
                if (basket.BinarySearch(target) < 0) continue;
                foreach (var j in basket)
                    if (j != target && co[j]++ == 0) touched.Add(j);
            }
            foreach (var j in touched) best.Consider(target, j, co[j]);
            return best.Sorted();
        }

        // Whole catalogue: for each antecedent a, count the SKUs after it in its baskets (pairs a < j, each once),
        // and judge both directions of each pair.
        var postingStart = new int[counts.Count + 1];
        for (var b = 0; b < basketCount; b++)
            for (var p = bounds[b]; p < bounds[b + 1] - 1; p++) postingStart[items[p] + 1]++;
        for (var i = 0; i < counts.Count; i++) postingStart[i + 1] += postingStart[i];
        var postingPos = new int[postingStart[^1]];
        var postingEnd = new int[postingStart[^1]];
        var fill = postingStart[..^1];
        for (var b = 0; b < basketCount; b++)
            for (var p = bounds[b]; p < bounds[b + 1] - 1; p++)
            {
                var k = fill[items[p]]++;
                postingPos[k] = p + 1;
                postingEnd[k] = bounds[b + 1];
            }
        for (var a = 0; a < counts.Count; a++)
        {
            touched.Clear();
            for (var k = postingStart[a]; k < postingStart[a + 1]; k++)
                for (var p = postingPos[k]; p < postingEnd[k]; p++)
                    if (co[items[p]]++ == 0) touched.Add(items[p]);
            foreach (var j in touched)
            {
                var c = co[j];
                co[j] = 0;
                best.Consider(a, j, c);
                best.Consider(j, a, c);
            }
        }
        return best.Sorted();
    }

    private static void Validate(RuleThresholds t)
    {
        if (!(t.MinSupport is >= 0 and <= 1))
            throw new ArgumentException($"MinSupport must be a share in [0, 1], got {t.MinSupport}.", nameof(RuleThresholds.MinSupport));
        if (!(t.MinConfidence is >= 0 and <= 1))
            throw new ArgumentException($"MinConfidence must be a share in [0, 1], got {t.MinConfidence}.", nameof(RuleThresholds.MinConfidence));
        if (!double.IsFinite(t.MinLift) || t.MinLift < 0)
            throw new ArgumentException($"MinLift must be a finite number ≥ 0, got {t.MinLift}.", nameof(RuleThresholds.MinLift));
        if (t.MinCount < 1)
            throw new ArgumentException($"MinCount must be at least 1 basket, got {t.MinCount}.", nameof(RuleThresholds.MinCount));
        if (t.Max is < 1 or > 1000)
            throw new ArgumentException($"Max must be 1–1000 rules, got {t.Max}.", nameof(RuleThresholds.Max));
    }

    /// <summary>Sorts the ids and removes repeats; returns the distinct prefix.</summary>
    private static Span<int> SortDistinct(Span<int> ids)
    {
        if (ids.Length < 2) return ids;
        ids.Sort();
        var w = 1;
        for (var i = 1; i < ids.Length; i++)
            if (ids[i] != ids[w - 1]) ids[w++] = ids[i];
        return ids[..w];
    }

    private readonly record struct Candidate(int Antecedent, int Consequent, int Count, double Confidence, double Lift);

    /// <summary>The best rules seen so far: a heap with the weakest kept rule on top.</summary>
    private sealed class Best : IComparer<Candidate>
    {
        private readonly RuleThresholds _t;
        private readonly int _n;
        private readonly int[] _counts;
        private readonly string[] _names;
        private readonly PriorityQueue<Candidate, Candidate> _heap;

        public Best(RuleThresholds t, int n, int[] counts, string[] names)
        {
            (_t, _n, _counts, _names) = (t, n, counts, names);
            _heap = new PriorityQueue<Candidate, Candidate>(t.Max + 1, this);
        }

        public void Consider(int x, int y, int c)
        {
            if (c < _t.MinCount || (double)c / _n < _t.MinSupport) return;
            var confidence = (double)c / _counts[x];
            if (confidence < _t.MinConfidence) return;
            // c·N / (count(X)·count(Y)): exact integer products, one rounding, the same value for X → Y and Y → X.
            var lift = (double)c * _n / ((double)_counts[x] * _counts[y]);
            if (lift < _t.MinLift) return;
            var candidate = new Candidate(x, y, c, confidence, lift);
            if (_heap.Count < _t.Max) _heap.Enqueue(candidate, candidate);
            else if (Compare(_heap.Peek(), candidate) < 0) _heap.EnqueueDequeue(candidate, candidate);
        }

        public IReadOnlyList<AssociationRule> Sorted()
        {
            var all = new List<Candidate>(_heap.Count);
            while (_heap.TryDequeue(out var c, out _)) all.Add(c);
            all.Sort((p, q) => Compare(q, p));
            return all.Select(c => new AssociationRule(_names[c.Antecedent], _names[c.Consequent], c.Count,
                _counts[c.Antecedent], _counts[c.Consequent], (double)c.Count / _n, c.Confidence, c.Lift)).ToList();
        }

        /// <summary>Negative when <paramref name="p"/> is the weaker rule (it would be listed after <paramref name="q"/>).</summary>
        public int Compare(Candidate p, Candidate q)
        {
            var r = p.Lift.CompareTo(q.Lift);
            if (r == 0) r = p.Confidence.CompareTo(q.Confidence);
            if (r == 0) r = p.Count.CompareTo(q.Count);
            if (r == 0) r = string.CompareOrdinal(_names[q.Antecedent], _names[p.Antecedent]);
            if (r == 0) r = string.CompareOrdinal(_names[q.Consequent], _names[p.Consequent]);
            return r;
        }
    }
}
