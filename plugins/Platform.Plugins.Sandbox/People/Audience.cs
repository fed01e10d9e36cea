using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.People;

/// <summary>The people who shop in one store: about 60% of the population, chosen by a hash of person and store.</summary>
internal sealed class Audience
{
    private const double ShareOfPopulation = 0.6;
    private const double LoyalShare = 0.2;
    private const double LoyalProbability = 0.4;

    private readonly int[] _shoppers;

    public Audience(Population population, int people, ulong storeHash)
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
    }

    public int Count => _shoppers.Length;

    /// <summary>
    /// A shopper for one order, skewed so that repeat buyers exist: 40% of orders go to the first 20% of the shoppers.
    /// </summary>
    public int Pick(ref Draws draws) => draws.Chance(LoyalProbability)
        ? _shoppers[draws.Below(Math.Max(1, (int)(_shoppers.Length * LoyalShare)))]
        : _shoppers[draws.Below(_shoppers.Length)];
}
