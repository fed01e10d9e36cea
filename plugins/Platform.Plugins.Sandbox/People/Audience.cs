using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.People;

/// <summary>
/// The people who shop in one store: about 60% of the population, chosen by a hash of person and store.
/// <para>
/// Without churn, 40% of orders go to the first 20% of the shoppers, so repeat buyers exist, and nobody stops.
/// </para>
/// <para>
/// With churn (<c>churnDays</c>) the shoppers buy the way the BG/NBD purchase model assumes: each person at a rate of
/// their own (gamma-distributed, shape 2, so a few buy often and many rarely) and with a chance of leaving after a
/// purchase (beta-distributed, mean 1/3), the same in every store. From the first churn day (<c>churnDays</c> before the store closes) a
/// shopper stays for an exponential time with rate (purchases a day × p / (1 − p), p the leaving chance): the time a geometric number
/// of purchases takes. The shoppers are kept ordered by the day they stop, so the ones still buying on a day are a
/// suffix of the list, and each order picks one of them in proportion to their rate.
/// </para>
/// </summary>
internal sealed class Audience
{
    private const double ShareOfPopulation = 0.6;
    private const double LoyalShare = 0.2;
    private const double LoyalProbability = 0.4;
    /// <summary>The leaving chance per purchase is Beta(<see cref="LeavingA"/>, 1): mean 1/3, many who almost never leave, some who leave at once.</summary>
    private const double LeavingA = 0.5;

    private readonly int[] _shoppers;
    /// <summary>With churn: the first day each shopper (same index) no longer buys, ascending; null without churn.</summary>
    private readonly long[]? _stopDays;
    /// <summary>With churn: the sum of the purchase rates of the shoppers before each index (length + 1 entries).</summary>
    private readonly double[]? _rateBefore;

    public Audience(Population population, int people, ulong storeHash, long? closedDay = null, int churnDays = 0, double ordersPerDay = 0)
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
            var n = _shoppers.Length;
            var perShopper = ordersPerDay > 0 ? ordersPerDay / n : 1.0 / n;
            var firstChurnDay = closed - churnDays;
            var plan = new (long Stop, int Shopper, double Rate)[n];
            for (var s = 0; s < n; s++)
            {
                // Drawn for the person, not the store: someone who buys often buys often everywhere, and someone who
                // leaves leaves every store at once (on the same day when the stores' settings are the same), so a
                // customer that identity resolution makes of their accounts still buys the way the model assumes.
                var draws = new Draws(StableHash.Of(population.Seed, (ulong)_shoppers[s], Salt.Churn));
                // Gamma(2, 1/2) as the mean of two exponentials: mean 1. 1 − Unit() is in (0, 1], so the logs are finite.
                var rate = -(Math.Log(1 - draws.Unit()) + Math.Log(1 - draws.Unit())) / 2;
                var leaving = Math.Pow(1 - draws.Unit(), 1 / LeavingA);
                // Leaving at rate μ = λ·p/(1 − p) makes p the chance of leaving before the next purchase (μ/(λ + μ)),
                // after every purchase alike, which is the model's process exactly. p = 1 leaves at once.
                var stay = leaving >= 1 ? 0 : -Math.Log(1 - draws.Unit()) * (1 - leaving) / (rate * perShopper * leaving);
                plan[s] = (stay < churnDays ? firstChurnDay + (long)Math.Floor(stay) : closed, _shoppers[s], rate);
            }
            Array.Sort(plan);
            _stopDays = new long[n];
            _rateBefore = new double[n + 1];
            for (var s = 0; s < n; s++)
            {
                (_stopDays[s], _shoppers[s], var rate) = plan[s];
                _rateBefore[s + 1] = _rateBefore[s] + rate;
            }
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

    /// <summary>
    /// The share of the purchase rate still buying on <paramref name="day"/> (1 without churn): the day's orders
    /// scale with it, so each remaining shopper keeps buying at their own rate.
    /// </summary>
    public double ActiveShare(long day)
    {
        if (_rateBefore is null) return 1;
        var total = _rateBefore[^1];
        return total > 0 ? (total - _rateBefore[FirstActive(day)]) / total : 0;
    }

    public int Count => _shoppers.Length;

    /// <summary>A shopper for one order placed on <paramref name="day"/>.</summary>
    public int Pick(ref Draws draws, long day)
    {
        var first = FirstActive(day);
        var active = Math.Max(1, _shoppers.Length - first);
        first = _shoppers.Length - active;
        if (_rateBefore is not null)
            return _shoppers[ByRate(first, draws.Unit())];
        return draws.Chance(LoyalProbability)
            ? _shoppers[first + draws.Below(Math.Max(1, (int)(active * LoyalShare)))]
            : _shoppers[first + draws.Below(active)];
    }

    /// <summary>The shopper at or after <paramref name="first"/> whose share of the remaining rate holds <paramref name="unit"/>.</summary>
    private int ByRate(int first, double unit)
    {
        var rates = _rateBefore!;
        var target = rates[first] + unit * (rates[^1] - rates[first]);
        int lo = first, hi = _shoppers.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (rates[mid + 1] <= target) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
