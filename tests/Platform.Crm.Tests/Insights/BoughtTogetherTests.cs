using Platform.Crm.Insights;
using Xunit;

namespace Platform.Crm.Tests.Insights;

public sealed class BoughtTogetherTests
{
    private const double Tol = 1e-12;

    // The classic five transactions (N = 5):
    //   T1 bread, milk                 T2 bread, diaper, beer, eggs      T3 milk, diaper, beer, cola
    //   T4 bread, milk, diaper, beer   T5 bread, milk, diaper, cola
    // Baskets per SKU: bread 4, milk 4, diaper 4, beer 3, cola 2, eggs 1.
    // Pairs: bread+milk 3, bread+diaper 3, milk+diaper 3, diaper+beer 3, bread+beer 2, milk+beer 2, milk+cola 2,
    //        diaper+cola 2, and 1 each for bread+eggs, diaper+eggs, beer+eggs, bread+cola, beer+cola.
    // lift(X,Y) = count·N / (count(X)·count(Y)):
    //   diaper+beer 3·5/(4·3) = 5/4   milk+cola 2·5/(4·2) = 5/4   diaper+cola 2·5/(4·2) = 5/4
    //   bread+milk = bread+diaper = milk+diaper = 3·5/16 = 15/16   bread+beer = milk+beer = 2·5/12 = 5/6
    //   beer+eggs 1·5/3 = 5/3   bread+eggs = diaper+eggs = 1·5/4 = 5/4
    // confidence: beer→diaper 3/3 = 1, diaper→beer 3/4, cola→milk 2/2 = 1, milk→cola 2/4, cola→diaper 1, diaper→cola 2/4.
    private static readonly Basket[] Classic =
    [
        new("T1", ["bread", "milk"]),
        new("T2", ["bread", "diaper", "beer", "eggs"]),
        new("T3", ["milk", "diaper", "beer", "cola"]),
        new("T4", ["bread", "milk", "diaper", "beer"]),
        new("T5", ["bread", "milk", "diaper", "cola"]),
    ];

    private static string Names(IEnumerable<AssociationRule> rules) => string.Join(" ", rules.Select(r => $"{r.Antecedent}>{r.Consequent}"));

    [Fact]
    public void Classic_example_with_default_thresholds()
    {
        // MinCount 2 drops eggs (1 basket) and every single-basket pair; MinLift 1 drops the 15/16, 5/6 and 5/8 pairs.
        // All six survivors have lift 5/4, so confidence orders them, then count, then names.
        var rules = BoughtTogether.Rules(Classic, new RuleThresholds());
        Assert.Equal("beer>diaper cola>diaper cola>milk diaper>beer diaper>cola milk>cola", Names(rules));

        var top = rules[0];
        Assert.Equal((3, 3, 4), (top.Count, top.AntecedentCount, top.ConsequentCount));
        Assert.Equal(3.0 / 5, top.Support, Tol);
        Assert.Equal(1.0, top.Confidence, Tol);
        Assert.Equal(5.0 / 4, top.Lift, Tol);

        var diaperBeer = rules[3];
        Assert.Equal((3, 4, 3), (diaperBeer.Count, diaperBeer.AntecedentCount, diaperBeer.ConsequentCount));
        Assert.Equal(3.0 / 5, diaperBeer.Support, Tol);
        Assert.Equal(3.0 / 4, diaperBeer.Confidence, Tol);
        Assert.Equal(5.0 / 4, diaperBeer.Lift, Tol);

        var milkCola = rules[5];
        Assert.Equal(2.0 / 5, milkCola.Support, Tol);
        Assert.Equal(1.0 / 2, milkCola.Confidence, Tol);
        Assert.Equal(5.0 / 4, milkCola.Lift, Tol);
    }

    [Fact]
    public void Thresholds_filter_and_cap()
    {
        // MinCount 1 lets eggs in: eggs→beer (lift 5/3, confidence 1) and beer→eggs (5/3, 1/3) lead.
        var withEggs = BoughtTogether.Rules(Classic, new RuleThresholds(MinCount: 1));
        Assert.Equal("eggs>beer beer>eggs", Names(withEggs.Take(2)));
        Assert.Equal(5.0 / 3, withEggs[0].Lift, Tol);
        Assert.Equal(1.0 / 3, withEggs[1].Confidence, Tol);
        Assert.Equal(1.0 / 5, withEggs[0].Support, Tol);

        // Confidence ≥ 0.6 keeps the three confidence-1 rules and diaper→beer (3/4).
        Assert.Equal("beer>diaper cola>diaper cola>milk diaper>beer",
            Names(BoughtTogether.Rules(Classic, new RuleThresholds(MinConfidence: 0.6))));

        // Support ≥ 0.5 needs 3 of 5 baskets: of the 3-basket pairs only diaper+beer has lift ≥ 1.
        Assert.Equal("beer>diaper diaper>beer", Names(BoughtTogether.Rules(Classic, new RuleThresholds(MinSupport: 0.5))));

        // Lift ≥ 0 and confidence ≥ 3/4: the 15/16 pairs come back (3/4 both ways), after the 5/4 rules.
        var all = BoughtTogether.Rules(Classic, new RuleThresholds(MinLift: 0, MinConfidence: 0.75));
        Assert.Equal("beer>diaper cola>diaper cola>milk diaper>beer bread>diaper bread>milk diaper>bread diaper>milk milk>bread milk>diaper", Names(all));
        Assert.All(all.Skip(4), r => Assert.Equal(15.0 / 16, r.Lift, Tol));

        // Lift above 5/4 leaves nothing with two baskets; Max caps the list, keeping the strongest.
        Assert.Empty(BoughtTogether.Rules(Classic, new RuleThresholds(MinLift: 1.26)));
        Assert.Equal("beer>diaper cola>diaper", Names(BoughtTogether.Rules(Classic, new RuleThresholds(Max: 2))));
    }

    [Fact]
    public void Sku_filter_keeps_only_that_antecedent()
    {
        Assert.Equal("diaper>beer diaper>cola", Names(BoughtTogether.Rules(Classic, new RuleThresholds(), "diaper")));
        Assert.Equal("cola>diaper cola>milk", Names(BoughtTogether.Rules(Classic, new RuleThresholds(), "cola")));
        Assert.Empty(BoughtTogether.Rules(Classic, new RuleThresholds(), "eggs"));   // below MinCount
        Assert.Empty(BoughtTogether.Rules(Classic, new RuleThresholds(), "caviar")); // never sold
        Assert.Empty(BoughtTogether.Rules(Classic, new RuleThresholds(), "Diaper")); // SKUs are case-sensitive
        var eggs = BoughtTogether.Rules(Classic, new RuleThresholds(MinCount: 1), "eggs");
        Assert.Equal("eggs>beer eggs>bread eggs>diaper", Names(eggs)); // lift 5/3, then 5/4 twice (names)

        // The filtered list is the catalogue list restricted to the antecedent.
        var catalogue = BoughtTogether.Rules(Classic, new RuleThresholds(MinCount: 1, MinLift: 0, Max: 1000));
        foreach (var sku in new[] { "bread", "milk", "diaper", "beer", "cola", "eggs" })
            Assert.Equal(catalogue.Where(r => r.Antecedent == sku),
                BoughtTogether.Rules(Classic, new RuleThresholds(MinCount: 1, MinLift: 0, Max: 1000), sku));
    }

    [Fact]
    public void Order_does_not_depend_on_the_input_order()
    {
        var t = new RuleThresholds(MinCount: 1, MinLift: 0, Max: 1000);
        var expected = BoughtTogether.Rules(Classic, t);
        Assert.Equal(13 * 2, expected.Count); // 13 co-occurring pairs, both directions
        var rng = new Random(7);
        for (var i = 0; i < 10; i++)
        {
            var shuffled = Classic.OrderBy(_ => rng.Next()).Select(b => b with { Skus = b.Skus.OrderBy(_ => rng.Next()).ToArray() }).ToList();
            Assert.Equal(expected, BoughtTogether.Rules(shuffled, t));
        }
    }

    [Fact]
    public void Duplicates_in_a_basket_count_once()
    {
        Basket[] baskets = [new("1", ["a", "a", "b", "b", "b"]), new("2", ["a", "c"]), new("3", ["a", "b", "a"])];
        var rules = BoughtTogether.Rules(baskets, new RuleThresholds(MinCount: 1, MinLift: 0));
        var ab = rules.Single(r => r.Antecedent == "a" && r.Consequent == "b");
        // a in 3 baskets, b in 2, both in 2: support 2/3, confidence 2/3, lift 2·3/(3·2) = 1.
        Assert.Equal((2, 3, 2), (ab.Count, ab.AntecedentCount, ab.ConsequentCount));
        Assert.Equal(2.0 / 3, ab.Confidence, Tol);
        Assert.Equal(1.0, ab.Lift, Tol);
    }

    [Fact]
    public void Empty_and_single_item_baskets_count_in_the_totals_only()
    {
        Assert.Empty(BoughtTogether.Rules([], new RuleThresholds()));
        Assert.Empty(BoughtTogether.Rules([new Basket("1", ["a"]), new Basket("2", [])], new RuleThresholds(MinCount: 1)));

        // N = 5 (one basket has no SKUs, one only a, one only an empty SKU); a in 3, b in 2, both in 2.
        Basket[] baskets = [new("1", ["a", "b"]), new("2", ["b", "a"]), new("3", ["a"]), new("4", []), new("5", [""])];
        var rules = BoughtTogether.Rules(baskets, new RuleThresholds());
        Assert.Equal("b>a a>b", Names(rules));
        // b→a: support 2/5, confidence 2/2, lift 2·5/(2·3) = 5/3; a→b: confidence 2/3, same lift.
        Assert.Equal(2.0 / 5, rules[0].Support, Tol);
        Assert.Equal(1.0, rules[0].Confidence, Tol);
        Assert.Equal(5.0 / 3, rules[0].Lift, Tol);
        Assert.Equal(2.0 / 3, rules[1].Confidence, Tol);
        Assert.Equal(5.0 / 3, rules[1].Lift, Tol);
    }

    [Theory]
    [InlineData(-0.1, 0.1, 1.0, 2, 100, "MinSupport")]
    [InlineData(1.5, 0.1, 1.0, 2, 100, "MinSupport")]
    [InlineData(double.NaN, 0.1, 1.0, 2, 100, "MinSupport")]
    [InlineData(0.1, -1, 1.0, 2, 100, "MinConfidence")]
    [InlineData(0.1, 1.01, 1.0, 2, 100, "MinConfidence")]
    [InlineData(0.1, 0.1, -0.5, 2, 100, "MinLift")]
    [InlineData(0.1, 0.1, double.PositiveInfinity, 2, 100, "MinLift")]
    [InlineData(0.1, 0.1, 1.0, 0, 100, "MinCount")]
    [InlineData(0.1, 0.1, 1.0, 2, 0, "Max")]
    [InlineData(0.1, 0.1, 1.0, 2, 1001, "Max")]
    public void Invalid_thresholds_are_rejected(double support, double confidence, double lift, int count, int max, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => BoughtTogether.Rules(Classic, new RuleThresholds(support, confidence, lift, count, max)));
        Assert.Equal(name, e.ParamName);
        Assert.Throws<ArgumentException>(() => BoughtTogether.Rules([], new RuleThresholds(support, confidence, lift, count, max)));
    }

    [Fact]
    public void Null_inputs_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => BoughtTogether.Rules(null!, new RuleThresholds()));
        Assert.Throws<ArgumentNullException>(() => BoughtTogether.Rules(Classic, null!));
        Assert.Throws<ArgumentException>(() => BoughtTogether.Rules([new Basket("1", null!)], new RuleThresholds()));
    }

    [Fact]
    public void Matches_a_naive_pair_count_on_random_baskets()
    {
        var baskets = RandomBaskets(new Random(11), 20_000, 300, planted: false);
        var t = new RuleThresholds(MinSupport: 0.0005, MinConfidence: 0.02, MinLift: 0.5, MinCount: 3, Max: 1000);
        var expected = Naive(baskets, t);
        Assert.True(expected.Count > 100);
        Assert.Equal(expected.Select(r => (r.Antecedent, r.Consequent, r.Count, r.AntecedentCount, r.ConsequentCount)),
            BoughtTogether.Rules(baskets, t).Select(r => (r.Antecedent, r.Consequent, r.Count, r.AntecedentCount, r.ConsequentCount)));
    }

    [Fact]
    public void Finds_a_planted_pair_in_100k_random_baskets()
    {
        var baskets = RandomBaskets(new Random(3), 100_000, 10_000, planted: true);
        var rules = BoughtTogether.Rules(baskets, new RuleThresholds(MinCount: 20));
        Assert.NotEmpty(rules);
        // Every planted basket holds PLANT-A and PLANT-B (5% of baskets), and nothing else correlates.
        Assert.Equal(["PLANT-A>PLANT-B", "PLANT-B>PLANT-A"], rules.Take(2).Select(r => $"{r.Antecedent}>{r.Consequent}").Order(StringComparer.Ordinal));
        Assert.True(rules[0].Lift > 10);
        Assert.All(rules, r => Assert.True(r.Count >= 20 && r.Support >= 0.001 && r.Confidence >= 0.1 && r.Lift >= 1));
        for (var i = 1; i < rules.Count; i++) Assert.True(rules[i - 1].Lift >= rules[i].Lift);
    }

    /// <summary>Baskets of 1–8 SKUs drawn with a skew towards low SKU numbers; optionally a planted pair in 5% of them.</summary>
    internal static List<Basket> RandomBaskets(Random rng, int count, int skus, bool planted)
    {
        var names = Enumerable.Range(0, skus).Select(i => $"SKU-{i:D5}").ToArray();
        var list = new List<Basket>(count);
        for (var b = 0; b < count; b++)
        {
            var size = 1 + rng.Next(8);
            var items = new List<string>(size + 2);
            for (var i = 0; i < size; i++)
            {
                var u = rng.NextDouble();
                items.Add(names[(int)(u * u * skus)]);
            }
            if (planted && rng.Next(20) == 0) items.AddRange(["PLANT-A", "PLANT-B"]);
            list.Add(new Basket(b.ToString(), items));
        }
        return list;
    }

    /// <summary>The textbook way: count every pair in a dictionary, judge every rule, sort.</summary>
    private static List<AssociationRule> Naive(IReadOnlyList<Basket> baskets, RuleThresholds t)
    {
        var single = new Dictionary<string, int>();
        var pairs = new Dictionary<(string, string), int>();
        foreach (var b in baskets)
        {
            var d = b.Skus.Distinct().Order(StringComparer.Ordinal).ToArray();
            foreach (var s in d) single[s] = single.GetValueOrDefault(s) + 1;
            for (var i = 0; i < d.Length; i++)
                for (var j = i + 1; j < d.Length; j++) pairs[(d[i], d[j])] = pairs.GetValueOrDefault((d[i], d[j])) + 1;
        }
        double n = baskets.Count;
        var rules = new List<AssociationRule>();
        foreach (var ((x, y), c) in pairs)
            foreach (var (a, b) in new[] { (x, y), (y, x) })
            {
                var conf = (double)c / single[a];
                var lift = c * n / ((double)single[a] * single[b]);
                if (c >= t.MinCount && c / n >= t.MinSupport && conf >= t.MinConfidence && lift >= t.MinLift)
                    rules.Add(new AssociationRule(a, b, c, single[a], single[b], c / n, conf, lift));
            }
        return rules.OrderByDescending(r => r.Lift).ThenByDescending(r => r.Confidence).ThenByDescending(r => r.Count)
            .ThenBy(r => r.Antecedent, StringComparer.Ordinal).ThenBy(r => r.Consequent, StringComparer.Ordinal).Take(t.Max).ToList();
    }
}
