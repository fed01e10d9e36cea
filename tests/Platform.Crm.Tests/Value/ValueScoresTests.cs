using Xunit;
using Platform.Crm.Value;

namespace Platform.Crm.Tests.Value;

public class ValueScoresTests
{
    private static ValueInputs Customer(string id, decimal spend12 = 100m, double clv = 50, int paid = 2, int cancelled = 0, int returned = 0,
        int days = 2, double? recency = 30, double tenure = 200, double? pAlive = 0.8, double channels = 0.5, decimal last6 = 60m, decimal prior6 = 40m,
        int reviews = 0, double? rating = null, int messages = 0) =>
        new(id, spend12, spend12 * 2, clv, paid, cancelled, returned, days, recency, tenure, pAlive, channels, last6, prior6, reviews, rating, messages);

    [Fact]
    public void Distribution_ranks_like_percentile_ranks_for_small_populations_and_closely_for_large_ones()
    {
        var small = new double[] { 5, 1, 3, 3, 9 };
        var exact = Percentile.Ranks(small);
        var d = Distribution.Of(small);
        for (var i = 0; i < small.Length; i++) Assert.Equal(exact[i], d.RankOf(small[i]), 9);
        Assert.Equal(50, Distribution.Of([]).RankOf(7));

        var random = new Random(4);
        var large = Enumerable.Range(0, 50_000).Select(_ => Math.Round(random.NextDouble() * 1000, 1)).ToArray();
        var big = Distribution.Of(large);
        Assert.Equal(Distribution.ExactUpTo, big.Points.Length);
        var ranks = Percentile.Ranks(large);
        for (var i = 0; i < 500; i++) Assert.InRange(big.RankOf(large[i]) - ranks[i], -0.1, 0.1);
    }

    [Fact]
    public void Each_dimension_ranks_its_own_measure_and_shows_its_inputs()
    {
        var population = new[]
        {
            Customer("big", spend12: 1000m, clv: 400, days: 9, tenure: 700, reviews: 3, rating: 5, messages: 4, last6: 900m, prior6: 100m),
            Customer("mid"),
            Customer("small", spend12: 10m, clv: 5, days: 1, tenure: 10, pAlive: 0.2, last6: 0m, prior6: 10m, paid: 1, cancelled: 3),
        };
        var d = ValueScores.Distributions(population, ValueWeights.Default);
        var scores = population.Select(c => ValueScores.Score(c, d, ValueWeights.Default, keyAccountPercent: 34)).ToDictionary(s => s.CustomerId);
        Assert.True(scores["big"].Current.Score > scores["mid"].Current.Score);
        Assert.True(scores["mid"].Current.Score > scores["small"].Current.Score);
        Assert.Equal(1000m, scores["big"].Current.Inputs["spend12Months"]);
        Assert.True(scores["big"].Growth.Score > scores["small"].Growth.Score);
        Assert.Equal("A", scores["big"].CreditGrade);
        Assert.Equal("D", scores["small"].CreditGrade); // 1 paid of 4
        Assert.True(scores["big"].EValue.Score > scores["mid"].EValue.Score);
        Assert.True(scores["big"].KeyAccount);
        Assert.False(scores["small"].KeyAccount);
        Assert.All(scores.Values, s => Assert.InRange(s.Composite, 0, 100));
        Assert.True(scores["big"].Composite > scores["small"].Composite);
    }

    [Fact]
    public void Composite_follows_the_weights()
    {
        var population = new[] { Customer("spender", spend12: 900m, clv: 1), Customer("future", spend12: 1m, clv: 900) };
        var onlyCurrent = new ValueWeights(1, 0, 0, 0, 0, 0);
        var onlyFuture = new ValueWeights(0, 1, 0, 0, 0, 0);
        var d = ValueScores.Distributions(population, onlyCurrent);
        Assert.Equal(75, ValueScores.Score(population[0], d, onlyCurrent, 0).Composite);
        Assert.Equal(25, ValueScores.Score(population[0], d, onlyFuture, 0).Composite);
    }

    [Fact]
    public void Growing_is_small_now_with_a_high_predicted_value()
    {
        var population = Enumerable.Range(0, 10).Select(i => Customer($"c{i}", spend12: 100m * (i + 1), clv: 10 * (i + 1))).Append(Customer("riser", spend12: 5m, clv: 5000)).ToList();
        var d = ValueScores.Distributions(population, ValueWeights.Default);
        Assert.True(ValueScores.Score(population[^1], d, ValueWeights.Default, 5).Growing);
        Assert.False(ValueScores.Score(population[9], d, ValueWeights.Default, 5).Growing);
    }

    [Fact]
    public void Rfm_matches_the_population_scoring_and_is_absent_without_purchases()
    {
        var random = new Random(11);
        var population = Enumerable.Range(0, 300).Select(i => Customer($"c{i}", spend12: random.Next(1, 500), days: random.Next(1, 8), recency: random.Next(0, 365))).ToList();
        var d = ValueScores.Distributions(population, ValueWeights.Default);
        var expected = Rfm.Score(population.Select(c => new RfmInput(c.CustomerId, c.RecencyDays!.Value, c.PurchaseDays, (double)c.TotalSpend)).ToList());
        foreach (var e in expected)
        {
            var s = ValueScores.Score(population.Single(c => c.CustomerId == e.CustomerId), d, ValueWeights.Default, 0);
            Assert.Equal((e.R, e.F, e.M, e.Segment), (s.R!.Value, s.F!.Value, s.M!.Value, s.Segment!.Value));
        }
        var none = ValueScores.Score(Customer("browser", spend12: 0, days: 0, recency: null, paid: 0), d, ValueWeights.Default, 0);
        Assert.Null(none.Segment);
        Assert.Equal("C", none.CreditGrade);
    }

    [Fact]
    public void Weights_problems_name_the_weight()
    {
        Assert.Contains(new ValueWeights(1, -1, 0, 0, 0, 0).Problems(), p => p.StartsWith("Future is -1"));
        Assert.NotEmpty(new ValueWeights(0, 0, 0, 0, 0, 0).Problems());
        Assert.Empty(ValueWeights.Default.Problems());
    }
}
