using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.People;

/// <summary>
/// The people who shop in one store: about 60% of the population, chosen by a hash of person and store. With churn
/// (<c>churnDays</c>), each shopper stops buying on a day spread evenly over the churn days before the store closes;
/// the shoppers are kept ordered by that day, so the ones still buying on a day are a suffix of the list.
/// </summary>
internal sealed class Audience
{
    private const double ShareOfPopulation = 0.6;
    private const double LoyalShare = 0.2;
    private const double LoyalProbability = 0.4;

    private readonly int[] _shoppers;
    /// <summary>With churn: the first day each shopper (same index) no longer buys, ascending; null without churn.</summary>
    private readonly long[]? _stopDays;

    public Audience(Population population, int people, ulong storeHash, long? closedDay = null, int churnDays = 0)
    {
        var shoppers = new List<int>((int)(people * ShareOfPopulation) + 16);
        for (var i = 0; i < people; i++)
        {
            if (StableHash.Unit(StableHash.Of(population.Seed, storeHash, (ulong)i, Salt.Shopper)) < ShareOfPopulation)
                shoppers.Add(i);
        }
        if (shoppers.Count == 0)
            shoppers.Add(0);
        _shoppers = [.. shoppers];
        if (churnDays > 0 && closedDay is { } closed)
        {
            _stopDays = _shoppers.Select(i =>
                closed - (long)Math.Floor(StableHash.Unit(StableHash.Of(population.Seed, storeHash, (ulong)i, Salt.Churn)) * churnDays)).ToArray();
            Array.Sort(_stopDays, _shoppers);
        }
    }

    /// <summary>Index of the first shopper still buying on <paramref name="day"/> (all of them without churn).</summary>
    private int FirstActive(long day)
    {
        if (_stopDays is null) return 0;
        int lo = 0, hi = _stopDays.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_stopDays[mid] <= day) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>The share of shoppers still buying on <paramref name="day"/> (1 without churn): the day's orders scale with it.</summary>
    public double ActiveShare(long day) => (double)(_shoppers.Length - FirstActive(day)) / _shoppers.Length;

    public int Count => _shoppers.Length;

    /// <summary>
    /// A shopper for one order, skewed so that repeat buyers exist: 40% of orders go to the first 20% of the shoppers.
    /// </summary>
    public int Pick(ref Draws draws, long day)
    {
        var first = FirstActive(day);
        var active = Math.Max(1, _shoppers.Length - first);
        first = _shoppers.Length - active;
        return draws.Chance(LoyalProbability)
            ? _shoppers[first + draws.Below(Math.Max(1, (int)(active * LoyalShare)))]
            : _shoppers[first + draws.Below(active)];
    }
}
