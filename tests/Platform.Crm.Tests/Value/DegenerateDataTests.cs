using Platform.Crm.Value;
using Xunit;

namespace Platform.Crm.Tests.Value;

/// <summary>Data the models cannot support: they say so and fall back, never NaN, never an exception.</summary>
public sealed class DegenerateDataTests
{
    private static readonly DateOnly Start = new(2024, 1, 1);

    private static CustomerSummary C(int x, double tx, double T, double zbar = 0) => new($"c{x}-{tx}-{T}", x, tx, T, zbar);

    /// <summary>
    /// Every customer drops out with the same probability after a purchase (no heterogeneity in p): the likelihood
    /// keeps rising as a and b grow together, so the fit heads for the edge. It must say so without spending the
    /// optimiser's whole budget of evaluations on the way.
    /// </summary>
    [Fact]
    public void A_fit_heading_for_the_edge_stops_early_and_says_so()
    {
        var random = new Random(42);
        var customers = new List<CustomerSummary>();
        for (var i = 0; i < 3000; i++)
        {
            var rate = Gamma(random, 0.8) / 4; // purchases a week
            double T = 10 + random.Next(40), t = 0, tx = 0;
            var x = 0;
            while (true)
            {
                t += -Math.Log(1 - random.NextDouble()) / rate;
                if (t > T) break;
                x++;
                tx = t;
                if (random.NextDouble() < 0.16) break; // the same dropout chance for everyone
            }
            customers.Add(new CustomerSummary($"c{i}", x, tx, T));
        }
        var fit = BgNbd.Fit(customers);
        Assert.Equal(FitStatus.NotEnoughData, fit.Status);
        Assert.Contains("edge of the parameter range", fit.Reason);
        Assert.InRange(fit.Evaluations, 1, 5_000); // the budget is 20,000

        static double Gamma(Random random, double shape)
        {
            // Marsaglia–Tsang for shape ≥ 1, boosted for shape < 1.
            var boost = shape < 1 ? Math.Pow(random.NextDouble(), 1 / shape) : 1;
            var d = (shape < 1 ? shape + 1 : shape) - 1.0 / 3;
            var c = 1 / Math.Sqrt(9 * d);
            while (true)
            {
                double z, v;
                do
                {
                    z = Normal(random);
                    v = 1 + c * z;
                } while (v <= 0);
                v = v * v * v;
                var u = random.NextDouble();
                if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v)) return d * v * boost;
            }
        }

        static double Normal(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    [Fact]
    public void No_repeat_buyers_is_not_enough_data()
    {
        var customers = Enumerable.Range(0, 50).Select(i => new CustomerSummary($"c{i}", 0, 0, 10 + i)).ToList();
        var fit = BgNbd.Fit(customers);
        Assert.Equal(FitStatus.NotEnoughData, fit.Status);
        Assert.False(fit.IsFitted);
        Assert.Null(fit.Parameters);
        Assert.Null(fit.LogLikelihood);
        Assert.Contains("repeat buyers", fit.Reason);
        Assert.Equal(0, fit.ExpectedPurchases(customers[0], 52));
        Assert.Null(fit.ProbabilityAlive(0, 0, 10));
        var spend = GammaGamma.Fit(customers);
        Assert.Equal(FitStatus.NotEnoughData, spend.Status);
        Assert.Equal(0, spend.MeanSpend);
        Assert.Equal(25, GammaGamma.Fit(customers, meanSpend: 25).ExpectedAverageSpend(0, 0));
        Assert.Equal(0, Clv.Compute(fit, spend, customers[0]));
    }

    [Fact]
    public void One_customer_is_not_enough_data()
    {
        var fit = BgNbd.Fit([C(3, 20, 30, 12)]);
        Assert.Equal(FitStatus.NotEnoughData, fit.Status);
        Assert.Equal(1, fit.Customers);
        Assert.Equal(3.0 / 30 * 10, fit.ExpectedPurchases(3, 20, 30, 10), 12);
        var spend = GammaGamma.Fit([C(3, 20, 30, 12)]);
        Assert.Equal(FitStatus.NotEnoughData, spend.Status);
        Assert.Equal(12, spend.ExpectedAverageSpend(3, 12));
        Assert.Equal(12, spend.ExpectedAverageSpend(0, 0)); // the mean observed spend
        Assert.Equal(FitStatus.NotEnoughData, BgNbd.Fit([]).Status);
        Assert.Equal(FitStatus.NotEnoughData, GammaGamma.Fit([]).Status);
    }

    [Fact]
    public void All_purchases_on_one_day_is_not_enough_data()
    {
        var log = Enumerable.Range(0, 60).SelectMany(i => new[]
        {
            new Transaction($"c{i}", Start, 10m),
            new Transaction($"c{i}", Start, 5m),
        });
        var summary = SummaryBuilder.Build(log, Start);
        Assert.All(summary, c => Assert.Equal((0, 0.0, 0.0, 0.0), (c.X, c.Tx, c.T, c.Zbar)));
        var fit = BgNbd.Fit(summary);
        Assert.Equal(FitStatus.NotEnoughData, fit.Status);
        Assert.Equal(0, fit.ExpectedPurchases(summary[0], 52));
        Assert.Equal(0, fit.AverageRate);
    }

    [Fact]
    public void No_observation_time_is_not_enough_data()
    {
        // Repeat purchases but T = 0 everywhere (e.g. a unit far longer than the history).
        var customers = Enumerable.Range(0, 40).Select(i => new CustomerSummary($"c{i}", i % 2, 0, 0, 10)).ToList();
        var fit = BgNbd.Fit(customers);
        Assert.Equal(FitStatus.NotEnoughData, fit.Status);
        Assert.Contains("observation time", fit.Reason);
        Assert.Equal(0, fit.ExpectedPurchases(1, 0, 0, 5));
    }

    [Fact]
    public void Non_finite_values_are_not_enough_data_for_a_fit()
    {
        var customers = Population().ToList();
        customers[3] = customers[3] with { T = double.NaN };
        Assert.Equal(FitStatus.NotEnoughData, BgNbd.Fit(customers).Status);
        customers = Population().ToList();
        customers[4] = customers[4] with { T = double.PositiveInfinity, Tx = double.PositiveInfinity };
        Assert.Equal(FitStatus.NotEnoughData, BgNbd.Fit(customers).Status);
        customers = Population().ToList();
        var repeat = customers.FindIndex(c => c.X > 0);
        customers[repeat] = customers[repeat] with { Zbar = double.NaN };
        Assert.Equal(FitStatus.NotEnoughData, GammaGamma.Fit(customers).Status);
    }

    [Fact]
    public void Huge_values_give_finite_results()
    {
        var population = Population().ToList();
        population.Add(new CustomerSummary("whale", 10_000, 9_999, 10_000, 1e12));
        var fit = BgNbd.Fit(population);
        Assert.True(fit.Status is FitStatus.Fitted or FitStatus.NotEnoughData);
        foreach (var c in population)
        {
            Finite(fit.ExpectedPurchases(c, 52));
            if (fit.ProbabilityAlive(c.X, c.Tx, c.T) is { } alive) Assert.InRange(alive, 0, 1);
        }
        var spend = GammaGamma.Fit(population);
        Finite(spend.ExpectedAverageSpend(10_000, 1e12));
        Finite(Clv.Compute(fit, spend, population[^1]));

        // Every amount huge: the spend fit is scale-free, so it recovers the same shape parameters.
        var scaled = Population().Select(c => c with { Zbar = c.Zbar * 1e10 }).ToList();
        var plain = GammaGamma.Fit(Population().ToList());
        var big = GammaGamma.Fit(scaled);
        Assert.True(plain.IsFitted && big.IsFitted);
        Assert.Equal(plain.Parameters.P, big.Parameters.P, 1e-4 * plain.Parameters.P);
        Assert.Equal(plain.Parameters.Gamma * 1e10, big.Parameters.Gamma, 1e-4 * big.Parameters.Gamma);

        var model = new BgNbd(0.243, 4.414, 0.793, 2.426);
        Finite(model.ExpectedPurchases(10_000, 1_000, 1_500, 52));
        Finite(model.ExpectedPurchases(10_000, 1_000, 1_000.5, 1e6));
        Finite(model.ExpectedPurchases(0, 0, 0, 1e9));
        Finite(model.ExpectedPurchasesUpTo(1e12));
        Finite(model.LogLikelihood(10_000, 1_000, 1_500));
        Finite(model.ProbabilityOfPurchases(10_000, 1_000));
    }

    [Fact]
    public void Huge_amounts_in_the_log_are_summarised_exactly()
    {
        var log = new[]
        {
            new Transaction("a", Start, 1e12m),
            new Transaction("a", Start.AddDays(7), 1e12m),
            new Transaction("a", Start.AddDays(7), 2e12m),
            new Transaction("a", Start.AddDays(14), 1e12m),
        };
        var c = Assert.Single(SummaryBuilder.Build(log, Start.AddDays(21)));
        Assert.Equal(2, c.X);
        Assert.Equal(2e12, c.Zbar);
    }

    [Fact]
    public void Model_is_continuous_through_a_equal_to_one()
    {
        // At a = 1 the closed form is 0/0.
        var at = new BgNbd(0.5, 5, 1, 2).ExpectedPurchases(2, 20, 30, 26);
        var below = new BgNbd(0.5, 5, 1 - 1e-4, 2).ExpectedPurchases(2, 20, 30, 26);
        var above = new BgNbd(0.5, 5, 1 + 1e-4, 2).ExpectedPurchases(2, 20, 30, 26);
        Finite(at);
        Assert.Equal(0.5 * (below + above), at, 1e-6);
        Finite(new BgNbd(0.5, 5, 0.4, 0.6).ExpectedPurchasesUpTo(26)); // a + b − 1 = 0
    }

    [Fact]
    public void Invalid_input_names_the_field()
    {
        var model = new BgNbd(0.243, 4.414, 0.793, 2.426);
        Assert.Equal("X", Assert.Throws<ArgumentException>(() => model.ExpectedPurchases(-1, 0, 10, 5)).ParamName);
        Assert.Equal("Tx", Assert.Throws<ArgumentException>(() => model.ExpectedPurchases(2, -1, 10, 5)).ParamName);
        Assert.Equal("T", Assert.Throws<ArgumentException>(() => model.ExpectedPurchases(2, 1, -10, 5)).ParamName);
        Assert.Equal("Tx", Assert.Throws<ArgumentException>(() => model.ProbabilityAlive(2, 12, 10)).ParamName);
        Assert.Equal("T", Assert.Throws<ArgumentException>(() => model.ProbabilityAlive(2, 1, double.NaN)).ParamName);
        Assert.Equal("t", Assert.Throws<ArgumentException>(() => model.ExpectedPurchases(2, 1, 10, -5)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => model.ProbabilityOfPurchases(-1, 5)).ParamName);

        var bad = Population().Append(new CustomerSummary("bad", 2, 12, 10)).ToList();
        Assert.Equal("Tx", Assert.Throws<ArgumentException>(() => BgNbd.Fit(bad)).ParamName);
        bad = Population().Append(new CustomerSummary("bad", -2, 0, 10)).ToList();
        Assert.Equal("X", Assert.Throws<ArgumentException>(() => BgNbd.Fit(bad)).ParamName);
        bad = Population().Append(new CustomerSummary("bad", 2, 5, 10, -3)).ToList();
        Assert.Equal("Zbar", Assert.Throws<ArgumentException>(() => GammaGamma.Fit(bad)).ParamName);

        Assert.Equal("Amount", Assert.Throws<ArgumentException>(() =>
            SummaryBuilder.Build([new Transaction("a", Start, -1m)], Start)).ParamName);
        Assert.Equal("CustomerId", Assert.Throws<ArgumentException>(() =>
            SummaryBuilder.Build([new Transaction("", Start, 1m)], Start)).ParamName);
        Assert.Equal("holdoutEnd", Assert.Throws<ArgumentException>(() =>
            SummaryBuilder.Build([], Start, Start.AddDays(-1))).ParamName);

        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbd(1, 0, 1, 1)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentOutOfRangeException>(() => new GammaGamma(1, 0.9, 1)).ParamName);
        Assert.Equal("MonthlyDiscountRate", Assert.Throws<ArgumentException>(() =>
            Clv.Discounted(t => t, 1, new ClvOptions(MonthlyDiscountRate: -1))).ParamName);
    }

    [Fact]
    public void Minimums_are_options()
    {
        var population = Population().ToList();
        Assert.True(BgNbd.Fit(population).IsFitted);
        var strict = BgNbd.Fit(population, new FitOptions(MinCustomers: 1000));
        Assert.Equal(FitStatus.NotEnoughData, strict.Status);
        Assert.Contains("1000", strict.Reason);
        Assert.Equal(FitStatus.NotEnoughData, GammaGamma.Fit(population, new FitOptions(MinRepeatBuyers: 1000)).Status);
    }

    /// <summary>A small merchant: the first 300 CDNOW customers (about 120 repeat buyers).</summary>
    private static IEnumerable<CustomerSummary> Population() =>
        Cdnow.Summary.OrderBy(c => int.Parse(c.CustomerId, System.Globalization.CultureInfo.InvariantCulture)).Take(300);

    private static void Finite(double v) => Assert.True(double.IsFinite(v) && v >= 0, $"not a finite non-negative number: {v}");
}
