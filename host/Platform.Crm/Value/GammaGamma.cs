using System.Diagnostics.CodeAnalysis;
using static Platform.Crm.Value.SpecialFunctions;

namespace Platform.Crm.Value;

/// <summary>
/// Gamma-Gamma spend model (Fader &amp; Hardie 2013, "The Gamma-Gamma Model of Monetary Value"): a customer's
/// purchase values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. Fitted on repeat buyers' (x, zbar).
/// q must exceed 1 for the mean spend to exist, so the constructor requires it.
/// </summary>
public sealed record GammaGamma
{
    public GammaGamma(double p, double q, double gamma)
    {
        P = Positive(p, nameof(p));
        Q = double.IsFinite(q) && q > 1
            ? q
            : throw new ArgumentOutOfRangeException(nameof(q), q, "q must be > 1 for the mean spend to exist.");
        Gamma = Positive(gamma, nameof(gamma));
    }

    /// <summary>Shape of each purchase value's distribution.</summary>
    public double P { get; }

    /// <summary>Shape of the distribution of ν across customers.</summary>
    public double Q { get; }

    /// <summary>Scale (in money) of the distribution of ν across customers.</summary>
    public double Gamma { get; }

    /// <summary>Mean purchase value in the population, pγ/(q − 1).</summary>
    public double PopulationMean => P * Gamma / (Q - 1);

    /// <summary>Log-likelihood of one repeat buyer's mean spend (x &gt; 0, zbar &gt; 0).</summary>
    public double LogLikelihood(int x, double zbar)
    {
        if (x <= 0) throw new ArgumentException($"x must be > 0 for the spend likelihood, got {x}.", nameof(CustomerSummary.X));
        if (!double.IsFinite(zbar) || zbar <= 0)
            throw new ArgumentException($"zbar must be a positive number, got {zbar}.", nameof(CustomerSummary.Zbar));
        return LogLikelihood(P, Q, Gamma, x, zbar);
    }

    /// <summary>Log-likelihood summed over the customers with x &gt; 0 and zbar &gt; 0 (others are skipped).</summary>
    public double LogLikelihood(IEnumerable<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return customers.Where(c => c.X > 0 && c.Zbar > 0).Sum(c => LogLikelihood(c.X, c.Zbar));
    }

    /// <summary>
    /// E(M | x, zbar) = p(γ + x·zbar)/(px + q − 1): the expected value of a future purchase; the population mean
    /// when x = 0.
    /// </summary>
    public double ExpectedAverageSpend(int x, double zbar)
    {
        Validate(x, zbar);
        return P * (Gamma + x * zbar) / (P * x + Q - 1);
    }

    /// <summary>
    /// Fits p, q, γ by maximum likelihood on the customers with x &gt; 0 and zbar &gt; 0 (Nelder–Mead on the
    /// log-parameters, spend normalised by its mean). Throws <see cref="ArgumentException"/> for negative x or
    /// zbar; data that cannot support a fit (too few repeat buyers, non-finite values, q ≤ 1 or parameters at the
    /// edge of the range) gives <see cref="FitStatus.NotEnoughData"/> with a reason.
    /// </summary>
    /// <param name="meanSpend">Fallback mean purchase value for customers without repeat purchases when the fit
    /// fails; by default the mean zbar of the repeat buyers (0 when there are none).</param>
    public static GammaGammaFit Fit(IEnumerable<CustomerSummary> customers, FitOptions? options = null, double? meanSpend = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        options ??= FitOptions.Default;
        if (meanSpend is { } ms && (!double.IsFinite(ms) || ms < 0))
            throw new ArgumentException($"meanSpend must be a finite number ≥ 0, got {ms}.", nameof(meanSpend));
        var buyers = new List<(int X, double Zbar)>();
        var finite = true;
        foreach (var c in customers)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(customers));
            if (c.X < 0) throw new ArgumentException($"x must be ≥ 0, got {c.X}.", nameof(CustomerSummary.X));
            if (c.Zbar < 0) throw new ArgumentException($"zbar must be ≥ 0, got {c.Zbar}.", nameof(CustomerSummary.Zbar));
            if (c.X == 0) continue;
            if (!double.IsFinite(c.Zbar)) finite = false;
            else if (c.Zbar > 0) buyers.Add((c.X, c.Zbar));
        }
        var n = buyers.Count;
        var observedMean = n == 0 ? 0 : buyers.Sum(b => b.Zbar / n);
        var fallback = meanSpend ?? observedMean;
        GammaGammaFit NotEnough(string reason, int evaluations = 0) =>
            new(FitStatus.NotEnoughData, null, null, n, false, reason, fallback, evaluations);

        if (!finite) return NotEnough("some repeat buyers have a non-finite zbar");
        var min = Math.Max(1, options.MinRepeatBuyers);
        if (n < min) return NotEnough($"{n} repeat buyers with spend; at least {min} are needed");
        var scale = observedMean;
        if (!(scale > 0) || !double.IsFinite(scale)) return NotEnough("spend is not a usable positive number");

        var xs = buyers.Select(b => b.X).Distinct().Order().ToArray();
        var xIndex = buyers.Select(b => Array.BinarySearch(xs, b.X)).ToArray();
        var logZ = buyers.Select(b => Math.Log(b.Zbar / scale)).ToArray();
        var z = buyers.Select(b => b.Zbar / scale).ToArray();
        var logX = buyers.Select(b => Math.Log(b.X)).ToArray();
        var perX = new double[xs.Length];
        double ScaledLogLikelihood(double p, double q, double g)
        {
            var lgQ = LogGamma(q);
            for (var k = 0; k < xs.Length; k++) perX[k] = LogGamma(p * xs[k] + q) - LogGamma(p * xs[k]) - lgQ;
            var qLogG = q * Math.Log(g);
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                var x = buyers[i].X;
                sum += perX[xIndex[i]] + qLogG + (p * x - 1) * logZ[i] + p * x * logX[i] - (p * x + q) * Math.Log(x * z[i] + g);
            }
            return sum;
        }

        var result = NelderMead.Minimize(
            theta => theta.Any(v => Math.Abs(v) > 30)
                ? double.PositiveInfinity
                : -ScaledLogLikelihood(Math.Exp(theta[0]), Math.Exp(theta[1]), Math.Exp(theta[2])) / n,
            [0, Math.Log(2), 0], abandon: FitOptions.BeyondEdge);
        var par = result.Point.Select(Math.Exp).ToArray();
        if (!double.IsFinite(result.Value))
            return NotEnough("the likelihood is not finite anywhere the optimiser looked", result.Evaluations);
        if (!FitOptions.Sane(par))
            return NotEnough($"the fit ended at the edge of the parameter range (p={par[0]:G4}, q={par[1]:G4}, γ/scale={par[2]:G4})",
                result.Evaluations);
        if (!(par[1] > 1))
            return NotEnough($"q = {par[1]:G4} ≤ 1: the spend is too heavy-tailed for a mean to exist", result.Evaluations);
        var model = new GammaGamma(par[0], par[1], par[2] * scale);
        // Spend was divided by scale: each zbar density picks up a factor 1/scale.
        var ll = -result.Value * n - n * Math.Log(scale);
        return new GammaGammaFit(FitStatus.Fitted, model, ll, n, result.Converged, null, fallback, result.Evaluations);
    }

    internal static double LogLikelihood(double p, double q, double gamma, int x, double zbar) =>
        LogGamma(p * x + q) - LogGamma(p * x) - LogGamma(q) + q * Math.Log(gamma) + (p * x - 1) * Math.Log(zbar)
        + p * x * Math.Log(x) - (p * x + q) * Math.Log(x * zbar + gamma);

    internal static void Validate(int x, double zbar)
    {
        if (x < 0) throw new ArgumentException($"x must be ≥ 0, got {x}.", nameof(CustomerSummary.X));
        if (!double.IsFinite(zbar) || zbar < 0)
            throw new ArgumentException($"zbar must be a finite number ≥ 0, got {zbar}.", nameof(CustomerSummary.Zbar));
    }

    private static double Positive(double v, string name) =>
        double.IsFinite(v) && v > 0 ? v : throw new ArgumentOutOfRangeException(name, v, $"{name} must be a positive number.");
}

/// <summary>
/// A Gamma-Gamma fit for one merchant. Without a fit (<see cref="FitStatus.NotEnoughData"/>) the expected spend
/// falls back to simple averages: a repeat buyer's own mean spend zbar, and <see cref="MeanSpend"/> for others.
/// </summary>
/// <param name="Parameters">The fitted model; null unless fitted.</param>
/// <param name="LogLikelihood">Log-likelihood at the fit; null unless fitted.</param>
/// <param name="RepeatBuyers">Customers used: x &gt; 0 and zbar &gt; 0.</param>
/// <param name="Converged">The optimiser met its tolerances.</param>
/// <param name="Reason">Why there is no fit; null when fitted.</param>
/// <param name="MeanSpend">The fallback mean purchase value.</param>
/// <param name="Evaluations">Likelihood evaluations the optimiser used.</param>
public sealed record GammaGammaFit(FitStatus Status, GammaGamma? Parameters, double? LogLikelihood, int RepeatBuyers,
    bool Converged, string? Reason, double MeanSpend, int Evaluations)
{
    [MemberNotNullWhen(true, nameof(Parameters))]
    public bool IsFitted => Status == FitStatus.Fitted && Parameters is not null;

    /// <summary>Expected value of a future purchase: the model's E(M | x, zbar), or the fallback.</summary>
    public double ExpectedAverageSpend(int x, double zbar)
    {
        if (IsFitted) return Parameters.ExpectedAverageSpend(x, zbar);
        GammaGamma.Validate(x, zbar);
        return x > 0 && zbar > 0 ? zbar : MeanSpend;
    }

    /// <inheritdoc cref="ExpectedAverageSpend(int, double)"/>
    public double ExpectedAverageSpend(CustomerSummary customer) => ExpectedAverageSpend(customer.X, customer.Zbar);
}
