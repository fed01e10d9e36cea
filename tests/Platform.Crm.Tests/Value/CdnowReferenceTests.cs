using System.Globalization;
using Platform.Crm.Value;
using Xunit;
using Xunit.Abstractions;

namespace Platform.Crm.Tests.Value;

/// <summary>
/// The models against the published CDNOW numbers, with the tolerances of Data/cdnow/README.md.
/// </summary>
public sealed class CdnowReferenceTests(ITestOutputHelper output)
{
    private static readonly BgNbd Published = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void Summary_built_from_the_log_matches_the_reference_files()
    {
        var built = Cdnow.Summary.ToDictionary(c => c.CustomerId);
        var plain = Cdnow.Csv("cdnow_customers_summary.csv").ToList();
        var withSpend = Cdnow.Csv("cdnow_customers_summary_with_transactions.csv").ToList();
        Assert.Equal(2357, built.Count);
        Assert.Equal(2357, plain.Count);
        Assert.Equal(2357, withSpend.Count);
        foreach (var f in plain)
        {
            var c = built[f[0]];
            Assert.Equal(int.Parse(f[1], CultureInfo.InvariantCulture), c.X);
            Assert.Equal(Cdnow.D(f[2]), Math.Round(c.Tx, 2), 9);
            Assert.Equal(Cdnow.D(f[3]), Math.Round(c.T, 2), 9);
        }
        foreach (var f in withSpend)
        {
            var c = built[f[0]];
            Assert.Equal(int.Parse(f[1], CultureInfo.InvariantCulture), c.X);
            Assert.True(Math.Abs(Cdnow.D(f[4]) - c.Zbar) <= 0.005 + 1e-9, $"zbar of {f[0]}: {c.Zbar} vs {f[4]}");
        }
        Assert.Equal(946, Cdnow.Summary.Count(c => c.X > 0));
        Assert.Equal(2457, Cdnow.Summary.Sum(c => c.X));
        Assert.Equal(1882, Cdnow.Summary.Sum(c => c.HoldoutX));
        Assert.Equal(38.857142857142854, built["1"].T, 12); // 272 days / 7
    }

    [Fact]
    public void Same_day_rows_are_one_purchase()
    {
        var days = SummaryBuilder.DailyTotals(Cdnow.Transactions);
        Assert.Equal(6919, Cdnow.Transactions.Count);
        Assert.Equal(6696, days.Sum(kv => kv.Value.Count));
    }

    [Fact]
    public void BgNbd_fit_reproduces_the_published_parameters()
    {
        var fit = Cdnow.BgNbdFit;
        output.WriteLine($"BG/NBD: {fit}");
        Assert.Equal(FitStatus.Fitted, fit.Status);
        Assert.True(fit.IsFitted);
        Assert.True(fit.Converged);
        Assert.Equal(2357, fit.Customers);
        Assert.Equal(946, fit.RepeatBuyers);
        var p = fit.Parameters;
        Close(0.243, p.R);
        Close(4.414, p.Alpha);
        Close(0.793, p.A);
        Close(2.426, p.B);
        Assert.InRange(fit.LogLikelihood!.Value, -9582.5, -9582.3);
        // CLVTools' full-precision fit on exact days / 7.
        Assert.Equal(-9582.429, fit.LogLikelihood.Value, 0.01);
        Assert.Equal(p.LogLikelihood(Cdnow.Summary), fit.LogLikelihood.Value, 6);
    }

    [Fact]
    public void BgNbd_fit_on_the_rounded_summary_file_agrees()
    {
        var fit = BgNbd.Fit(Cdnow.SummaryFile);
        output.WriteLine($"BG/NBD on summary file: {fit}");
        Assert.True(fit.IsFitted);
        Close(0.243, fit.Parameters.R);
        Close(4.414, fit.Parameters.Alpha);
        Close(0.793, fit.Parameters.A);
        Close(2.426, fit.Parameters.B);
        Assert.Equal(-9582.4256, fit.LogLikelihood!.Value, 0.01);
    }

    [Fact]
    public void BgNbd_log_likelihood_at_the_published_parameters()
    {
        var onFile = Published.LogLikelihood(Cdnow.SummaryFile);
        var onExact = Published.LogLikelihood(Cdnow.Summary);
        output.WriteLine($"LL at published: file {onFile:F4}, exact {onExact:F4}");
        Assert.Equal(-9582.43, onFile, 0.1);
        Assert.Equal(-9582.43, onExact, 0.1);
    }

    [Fact]
    public void BgNbd_conditional_expectation_of_the_worked_example()
    {
        var published = Published.ExpectedPurchases(2, 30.43, 38.86, 39);
        var fitted = Cdnow.BgNbdFit.ExpectedPurchases(2, 30.43, 38.86, 39);
        output.WriteLine($"E[Y(39)|2,30.43,38.86]: published {published:F6}, fitted {fitted:F6}");
        Assert.Equal(1.226, published, 0.001);
        Assert.Equal(1.226, fitted, 0.001);
        Assert.Equal(1.22603, published, 0.0001);
    }

    /// <summary>
    /// With the published parameters held fixed, against lifetimes' formula evaluated with mpmath (40 digits),
    /// including horizons far beyond the customer's age, where ₂F₁ is evaluated near z = 1.
    /// </summary>
    [Theory]
    [InlineData(2, 30.43, 38.86, 39, 1.2260281747671445)]
    [InlineData(0, 0, 38.86, 52, 0.25207302228245893)]
    [InlineData(1, 1.71, 38.86, 52, 0.25982346486862244)]
    [InlineData(20, 30, 31, 52, 19.335400671342624)]
    [InlineData(5, 20, 25, 1000, 24.956968273023502)]
    [InlineData(3, 2, 2, 500, 26.107251782363841)]
    [InlineData(7, 35, 38, 2000, 42.954139110325324)]
    [InlineData(0, 0, 0, 10000, 15.067913315055178)]
    [InlineData(0, 0, 0, 0.001, 5.5050197502677484e-5)]
    public void BgNbd_conditional_expectation_matches_an_independent_evaluation(int x, double tx, double T, double t, double expected) =>
        Assert.Equal(expected, Published.ExpectedPurchases(x, tx, T, t), 1e-9 * expected);

    [Theory]
    [InlineData(0.1429, 0.0078)]
    [InlineData(1, 0.0532)]
    [InlineData(3, 0.1506)]
    [InlineData(31.8571, 1.0405)]
    [InlineData(32, 1.0437)]
    [InlineData(78, 1.8580)] // lifetimes says 1.8576; the README explains why 1.8580 is right
    public void BgNbd_unconditional_expectation(double t, double expected)
    {
        var value = Cdnow.BgNbdFit.Parameters!.ExpectedPurchasesUpTo(t);
        Assert.Equal(expected, value, 0.001);
        Assert.Equal(expected, value, 0.0002);
    }

    [Fact]
    public void BgNbd_unconditional_expectation_is_the_mean_of_the_purchase_distribution()
    {
        var p = Cdnow.BgNbdFit.Parameters!;
        var mean = Enumerable.Range(0, 400).Sum(n => n * p.ProbabilityOfPurchases(n, 78));
        Assert.Equal(p.ExpectedPurchasesUpTo(78), mean, 1e-6);
        Assert.Equal(1, Enumerable.Range(0, 400).Sum(n => p.ProbabilityOfPurchases(n, 78)), 1e-9);
    }

    [Fact]
    public void BgNbd_probability_of_n_purchases()
    {
        Assert.Equal(1.07869e-07, Published.ProbabilityOfPurchases(10, 2), 1e-6);
        Assert.Equal(0.5737864, Published.ProbabilityOfPurchases(0, 39), 1e-6);
        // Both hold much tighter than the README requires.
        Assert.Equal(1.07869e-07, Published.ProbabilityOfPurchases(10, 2), 1e-11);
        Assert.Equal(0.5737864, Published.ProbabilityOfPurchases(0, 39), 1e-7);
    }

    [Fact]
    public void BgNbd_probability_alive()
    {
        var p = Cdnow.BgNbdFit.Parameters!;
        Assert.Equal(1, p.ProbabilityAlive(0, 0, 38.86));
        var alive = p.ProbabilityAlive(2, 30.43, 38.86);
        Assert.InRange(alive, 0.5, 1);
        // Last purchase long ago: less likely alive than one who bought at the end.
        Assert.True(p.ProbabilityAlive(5, 5, 38.86) < p.ProbabilityAlive(5, 38, 38.86));
        Assert.Equal(alive, Cdnow.BgNbdFit.ProbabilityAlive(2, 30.43, 38.86));
    }

    [Fact]
    public void GammaGamma_fit_reproduces_the_published_parameters()
    {
        var fit = Cdnow.GammaGammaFit;
        output.WriteLine($"Gamma-Gamma: {fit}");
        Assert.True(fit.IsFitted);
        Assert.True(fit.Converged);
        Assert.Equal(946, fit.RepeatBuyers);
        Close(6.25, fit.Parameters.P);
        Close(3.74, fit.Parameters.Q);
        Close(15.44, fit.Parameters.Gamma);
        Assert.Equal(-4055.92, fit.LogLikelihood!.Value, 0.1);
        Assert.Equal(-4055.9177, fit.LogLikelihood.Value, 0.01);
        Assert.Equal(fit.Parameters.LogLikelihood(Cdnow.Summary), fit.LogLikelihood.Value, 6);
        Assert.Equal(35.08, fit.MeanSpend, 0.01);
    }

    [Fact]
    public void GammaGamma_fit_on_the_rounded_summary_file_agrees()
    {
        var fit = GammaGamma.Fit(Cdnow.SummaryFile);
        output.WriteLine($"Gamma-Gamma on summary file: {fit}");
        Assert.True(fit.IsFitted);
        Close(6.25, fit.Parameters.P);
        Close(3.74, fit.Parameters.Q);
        Close(15.44, fit.Parameters.Gamma);
        Assert.Equal(-4055.9232, fit.LogLikelihood!.Value, 0.01);
    }

    [Fact]
    public void GammaGamma_expected_spend_of_the_first_ten_customers()
    {
        double[] expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
        var byId = Cdnow.Summary.ToDictionary(c => c.CustomerId);
        var published = new GammaGamma(6.25, 3.74, 15.44);
        for (var i = 0; i < 10; i++)
        {
            var c = byId[(i + 1).ToString(CultureInfo.InvariantCulture)];
            Assert.Equal(expected[i], Cdnow.GammaGammaFit.ExpectedAverageSpend(c), 0.1);
            if (c.X > 0) Assert.Equal(expected[i], published.ExpectedAverageSpend(c.X, c.Zbar), 0.1);
        }
        // x = 0 is the population mean; rounded q moves it (README: 35.219 with the published values).
        Assert.Equal(35.219, published.ExpectedAverageSpend(0, 0), 0.001);
        Assert.Equal(published.PopulationMean, published.ExpectedAverageSpend(0, 0), 12);
    }

    [Fact]
    public void Fits_are_fast()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var purchases = BgNbd.Fit(Cdnow.Summary);
        var bgnbd = clock.Elapsed;
        clock.Restart();
        var spend = GammaGamma.Fit(Cdnow.Summary);
        var gg = clock.Elapsed;
        output.WriteLine($"BG/NBD fit {bgnbd.TotalMilliseconds:F0} ms ({purchases.Evaluations} evaluations), " +
                         $"Gamma-Gamma fit {gg.TotalMilliseconds:F0} ms ({spend.Evaluations} evaluations)");
        Assert.Equal(Cdnow.BgNbdFit, purchases); // deterministic
        Assert.Equal(Cdnow.GammaGammaFit, spend);
        Assert.True(bgnbd < TimeSpan.FromSeconds(5) && gg < TimeSpan.FromSeconds(5)); // well under 1 s in practice
    }

    [Fact]
    public void Holdout_prediction_is_close_to_the_actual_repeat_purchases()
    {
        var totals = Holdout.Compare(Cdnow.BgNbdFit, Cdnow.Summary, Cdnow.HoldoutWeeks);
        output.WriteLine($"Holdout: {totals} relative error {totals.RelativeError:P2}");
        Assert.Equal(2357, totals.Customers);
        Assert.Equal(1882, totals.Actual);
        // BG/NBD under-forecasts the CDNOW holdout by about 12% (the unconditional tracking forecast,
        // Σ E[X(T+39)] − E[X(T)], gives 1,666.7): the aggregate check allows 15%.
        Assert.InRange(totals.Predicted, 1882 * 0.85, 1882 * 1.15);
        // Pinned to the value of this fit (an independent mpmath evaluation of the same sum on the 2-decimal
        // summary gives 1,653.42), so that a change in the maths shows up.
        Assert.Equal(1653.41, totals.Predicted, 0.5);
    }

    [Fact]
    public void Clv_and_next_order_of_the_worked_example_customer()
    {
        var c = Cdnow.Summary.Single(s => s.CustomerId == "1");
        var clv = Clv.Compute(Cdnow.BgNbdFit, Cdnow.GammaGammaFit, c);
        var undiscounted = Clv.Compute(Cdnow.BgNbdFit, Cdnow.GammaGammaFit, c, new ClvOptions(MonthlyDiscountRate: 0));
        var year = Cdnow.BgNbdFit.ExpectedPurchases(c, Clv.MonthEnd(12, 7)) * Cdnow.GammaGammaFit.ExpectedAverageSpend(c);
        output.WriteLine($"customer 1: CLV {clv:F2}, undiscounted {undiscounted:F2}, E[Y(52.18)]×E(M) {year:F2}");
        Assert.Equal(year, undiscounted, 9);
        Assert.True(clv < undiscounted && clv > undiscounted / 1.01 / 1.01 / 1.01 / 1.01 / 1.01 / 1.01 / 1.01 / 1.01 / 1.01 / 1.01 / 1.01 / 1.01);
        var weeks = NextOrder.TimeToNextPurchase(Cdnow.BgNbdFit, c, 104);
        Assert.NotNull(weeks);
        Assert.Equal(1, Cdnow.BgNbdFit.ExpectedPurchases(c, weeks.Value), 1e-6);
        var date = NextOrder.ExpectedDate(Cdnow.BgNbdFit, c, Cdnow.CalibrationEnd);
        output.WriteLine($"customer 1: next order in {weeks:F2} weeks, on {date}");
        Assert.Equal(Cdnow.CalibrationEnd.AddDays((int)Math.Ceiling(weeks.Value * 7)), date);
    }

    /// <summary>Within 1% relative or 0.001 absolute, as the README allows.</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(0.01 * Math.Abs(expected), 0.001),
            $"expected {expected} ± 1%, got {actual}");
}
