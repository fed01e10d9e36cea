using Platform.Crm.Value;
using Xunit;

namespace Platform.Crm.Tests.Value;

public sealed class RfmTests
{
    [Fact]
    public void Percentile_ranks_ties_equally()
    {
        Assert.Equal([12.5, 50, 50, 87.5], Percentile.Ranks([10, 20, 20, 30]));
        Assert.Equal([50, 50, 50], Percentile.Ranks([7, 7, 7]));
        Assert.Equal([50], Percentile.Ranks([3]));
        Assert.Empty(Percentile.Ranks([]));
        Assert.Equal([87.5, 12.5, 50, 50], Percentile.Ranks([30, 10, 20, 20])); // input order does not matter
        Assert.Equal(50, Percentile.RankOf(20, [10, 20, 20, 30]));
        Assert.Equal(100, Percentile.RankOf(99, [10, 20, 20, 30]));
        Assert.Throws<ArgumentException>(() => Percentile.Ranks([1, double.NaN]));
    }

    [Fact]
    public void Quintiles_of_ten_distinct_values_are_two_each()
    {
        var ranks = Percentile.Ranks(Enumerable.Range(1, 10).Select(i => (double)i).ToArray());
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], ranks.Select(Percentile.Quintile));
        Assert.Equal(1, Percentile.Quintile(0));
        Assert.Equal(2, Percentile.Quintile(20));
        Assert.Equal(5, Percentile.Quintile(100));
        Assert.Throws<ArgumentException>(() => Percentile.Quintile(101));
    }

    [Fact]
    public void Scores_a_population()
    {
        // Ten customers; recency in days (smaller is better), purchases, spend.
        var customers = new RfmInput[]
        {
            new("champion", 1, 20, 2000),
            new("loyal", 40, 15, 1500),
            new("new", 2, 1, 30),
            new("cant-lose", 300, 18, 1800),
            new("lost", 400, 1, 20),
            new("a", 60, 5, 300),
            new("b", 90, 4, 250),
            new("c", 120, 3, 200),
            new("d", 150, 2, 100),
            new("e", 200, 6, 400),
        };
        var scores = Rfm.Score(customers).ToDictionary(s => s.CustomerId);
        Assert.Equal((5, 5, 5, RfmSegment.Champions), Tuple(scores["champion"]));
        Assert.Equal(RfmSegment.New, scores["new"].Segment);
        Assert.Equal(RfmSegment.CantLose, scores["cant-lose"].Segment);
        Assert.Equal((1, 1, 1, RfmSegment.Lost), Tuple(scores["lost"]));
        Assert.Equal(4, scores["loyal"].R);
        Assert.Equal(RfmSegment.Loyal, scores["loyal"].Segment);
        // The same customers in another order score the same.
        var reversed = Rfm.Score(customers.Reverse().ToArray()).ToDictionary(s => s.CustomerId);
        Assert.All(scores, kv => Assert.Equal(kv.Value, reversed[kv.Key]));
    }

    [Fact]
    public void Equal_values_get_equal_scores()
    {
        var customers = Enumerable.Range(0, 10)
            .Select(i => new RfmInput($"c{i}", i < 5 ? 10 : 100 + i, i < 6 ? 1 : i, 50))
            .ToArray();
        var scores = Rfm.Score(customers);
        Assert.Single(scores.Take(5).Select(s => s.R).Distinct());
        Assert.Single(scores.Take(6).Select(s => s.F).Distinct());
        Assert.Single(scores.Select(s => s.M).Distinct());
        Assert.Equal(3, scores[0].M); // all equal → 50th percentile
        Assert.Equal(4, scores[0].R); // five tied most recent: percentile 75
        Assert.Equal(2, scores[0].F); // six tied at one purchase: percentile 30
    }

    [Theory]
    [InlineData(5, 5, RfmSegment.Champions)]
    [InlineData(5, 4, RfmSegment.Champions)]
    [InlineData(4, 5, RfmSegment.Loyal)]
    [InlineData(3, 4, RfmSegment.Loyal)]
    [InlineData(5, 2, RfmSegment.PotentialLoyalists)]
    [InlineData(4, 3, RfmSegment.PotentialLoyalists)]
    [InlineData(5, 1, RfmSegment.New)]
    [InlineData(4, 1, RfmSegment.Promising)]
    [InlineData(3, 3, RfmSegment.NeedAttention)]
    [InlineData(3, 2, RfmSegment.AboutToSleep)]
    [InlineData(2, 3, RfmSegment.AtRisk)]
    [InlineData(1, 4, RfmSegment.AtRisk)]
    [InlineData(1, 5, RfmSegment.CantLose)]
    [InlineData(2, 2, RfmSegment.Hibernating)]
    [InlineData(1, 2, RfmSegment.Lost)]
    [InlineData(1, 1, RfmSegment.Lost)]
    public void Segment_grid(int r, int fm, RfmSegment expected) => Assert.Equal(expected, Rfm.Segment(r, fm));

    [Fact]
    public void Every_segment_is_reachable_and_labelled()
    {
        var reached = new HashSet<RfmSegment>();
        for (var r = 1; r <= 5; r++)
        for (var fm = 1; fm <= 5; fm++)
            reached.Add(Rfm.Segment(r, fm));
        Assert.Equal(Enum.GetValues<RfmSegment>().ToHashSet(), reached);
        Assert.Equal("can't lose", Rfm.Label(RfmSegment.CantLose));
        Assert.Equal("potential loyalists", Rfm.Label(RfmSegment.PotentialLoyalists));
        Assert.Equal(5, Rfm.CombineFm(4, 5));
        Assert.Equal(2, Rfm.CombineFm(1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfm.Segment(0, 3));
    }

    [Fact]
    public void Inputs_from_a_log()
    {
        var d = new DateOnly(2024, 3, 1);
        var inputs = Rfm.Inputs(
        [
            new Transaction("a", d, 10m),
            new Transaction("a", d, 5m),
            new Transaction("a", d.AddDays(10), 20m),
            new Transaction("b", d.AddDays(3), 7m),
            new Transaction("b", d.AddDays(40), 7m), // after asOf
            new Transaction("c", d.AddDays(40), 7m), // only after asOf
        ], d.AddDays(30));
        Assert.Equal([new RfmInput("a", 20, 2, 35), new RfmInput("b", 27, 1, 7)], inputs);
        Assert.Equal("RecencyDays", Assert.Throws<ArgumentException>(() => Rfm.Score([new RfmInput("x", -1, 1, 1)])).ParamName);
    }

    private static (int, int, int, RfmSegment) Tuple(RfmScore s) => (s.R, s.F, s.M, s.Segment);
}
