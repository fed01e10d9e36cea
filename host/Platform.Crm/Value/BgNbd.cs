using System.Diagnostics.CodeAnalysis;
using static Platform.Crm.Value.SpecialFunctions;

namespace Platform.Crm.Value;

/// <summary>
/// BG/NBD purchase model (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way"): while alive a
/// customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out with probability
/// p ~ Beta(a, b). Times are in whatever unit the summaries use (α carries that unit). The formulas follow the
/// paper and lifetimes' BetaGeoFitter.
/// </summary>
public sealed record BgNbd
{
    public BgNbd(double r, double alpha, double a, double b)
    {
        R = Positive(r, nameof(r));
        Alpha = Positive(alpha, nameof(alpha));
        A = Positive(a, nameof(a));
        B = Positive(b, nameof(b));
    }

    /// <summary>Shape of the purchase-rate distribution.</summary>
    public double R { get; }

    /// <summary>Scale of the purchase-rate distribution (in the time unit).</summary>
    public double Alpha { get; }

    /// <summary>First shape of the dropout-probability distribution.</summary>
    public double A { get; }

    /// <summary>Second shape of the dropout-probability distribution.</summary>
    public double B { get; }

    /// <summary>Log-likelihood of one customer's (x, t_x, T).</summary>
    public double LogLikelihood(int x, double tx, double T)
    {
        CustomerSummary.ValidateFinite(x, tx, T);
        return LogLikelihood(R, Alpha, A, B, x, tx, T);
    }

    /// <summary>Log-likelihood of a set of customers (sum over them).</summary>
    public double LogLikelihood(IEnumerable<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var sum = 0.0;
        foreach (var c in customers) sum += LogLikelihood(c.X, c.Tx, c.T);
        return sum;
    }

    /// <summary>P(alive at T | x, t_x, T); 1 for a customer without repeat purchases.</summary>
    public double ProbabilityAlive(int x, double tx, double T)
    {
        CustomerSummary.ValidateFinite(x, tx, T);
        return ProbabilityAlive(R, Alpha, A, B, x, tx, T);
    }

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in the next <paramref name="t"/> time units.</summary>
    public double ExpectedPurchases(int x, double tx, double T, double t)
    {
        CustomerSummary.ValidateFinite(x, tx, T);
        CustomerSummary.ValidateHorizon(t);
        return ConditionalExpectation(R, Alpha, A, B, x, tx, T, t);
    }

    /// <summary>E[Y(t)] for a summarised customer.</summary>
    public double ExpectedPurchases(CustomerSummary customer, double t) =>
        ExpectedPurchases(customer.X, customer.Tx, customer.T, t);

    /// <summary>E[X(t)]: expected purchases of a new, randomly chosen customer in (0, t] (unconditional).</summary>
    public double ExpectedPurchasesUpTo(double t)
    {
        CustomerSummary.ValidateHorizon(t);
        return ConditionalExpectation(R, Alpha, A, B, 0, 0, 0, t);
    }

    /// <summary>
    /// P(X(t) = n): probability that a new, randomly chosen customer makes exactly <paramref name="n"/> purchases in
    /// (0, t] (as lifetimes' probability_of_n_purchases_up_to_time).
    /// </summary>
    public double ProbabilityOfPurchases(int n, double t)
    {
        if (n < 0) throw new ArgumentException($"n must be ≥ 0, got {n}.", nameof(n));
        CustomerSummary.ValidateHorizon(t);
        if (t == 0) return n == 0 ? 1 : 0;
        var logP = Math.Log(Alpha / (Alpha + t)); // NB "success" probability of the rate mixture
        var logQ = Math.Log(t / (Alpha + t));
        var logBetaAB = LogBeta(A, B);
        var first = Math.Exp(LogBeta(A, B + n) - logBetaAB + LogGamma(R + n) - LogGamma(R) - LogGamma(n + 1.0)
                             + R * logP + n * logQ);
        if (n == 0) return Math.Clamp(first, 0, 1);
        // Σ_{j<n} Γ(r+j)/(Γ(r) j!) pʳ qʲ: the NB(r, p) distribution function at n − 1, by recurrence.
        var q = Math.Exp(logQ);
        double term = Math.Exp(R * logP), cdf = term;
        for (var j = 0; j < n - 1 && term > 0; j++)
        {
            term *= (R + j) / (j + 1) * q;
            cdf += term;
        }
        var second = Math.Exp(LogBeta(A + 1, B + n - 1) - logBetaAB) * Math.Max(0, 1 - cdf);
        return Math.Clamp(first + second, 0, 1);
    }

    /// <summary>
    /// Fits r, α, a, b by maximum likelihood (Nelder–Mead on the log-parameters, times normalised by the mean T,
    /// started at r = α = a = b = 1 and restarted until no improvement). Throws <see cref="ArgumentException"/> for
    /// invalid rows (negative values, t_x &gt; T); everything the data cannot support gives
    /// <see cref="FitStatus.NotEnoughData"/> with a reason.
    /// </summary>
    public static BgNbdFit Fit(IEnumerable<CustomerSummary> customers, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        options ??= FitOptions.Default;
        var list = customers as IReadOnlyList<CustomerSummary> ?? customers.ToList();
        int repeat = 0;
        bool finite = true;
        double sumX = 0, sumT = 0;
        foreach (var c in list)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(customers));
            CustomerSummary.Validate(c.X, c.Tx, c.T);
            if (!double.IsFinite(c.Tx) || !double.IsFinite(c.T)) finite = false;
            if (c.X > 0) repeat++;
            sumX += c.X;
            if (double.IsFinite(c.T)) sumT += c.T;
        }
        var n = list.Count;
        var averageRate = sumT > 0 && double.IsFinite(sumT) ? sumX / sumT : 0;
        BgNbdFit NotEnough(string reason, int evaluations = 0) =>
            new(FitStatus.NotEnoughData, null, null, n, repeat, false, reason, averageRate, evaluations);

        if (!finite) return NotEnough("some customers have a non-finite t_x or T");
        var minCustomers = Math.Max(2, options.MinCustomers);
        if (n < minCustomers) return NotEnough($"{n} customers; at least {minCustomers} are needed");
        var minRepeat = Math.Max(1, options.MinRepeatBuyers);
        if (repeat < minRepeat) return NotEnough($"{repeat} repeat buyers; at least {minRepeat} are needed");
        var scale = list.Sum(c => c.T / n);
        if (!(scale > 0) || !double.IsFinite(scale)) return NotEnough("no observation time (all T = 0)");

        var data = new Prepared(list, scale);
        var result = NelderMead.Minimize(
            theta => theta.Any(v => Math.Abs(v) > 30)
                ? double.PositiveInfinity
                : -data.LogLikelihood(Math.Exp(theta[0]), Math.Exp(theta[1]), Math.Exp(theta[2]), Math.Exp(theta[3])) / n,
            [0, 0, 0, 0], abandon: FitOptions.BeyondEdge);
        var p = result.Point.Select(Math.Exp).ToArray();
        if (!double.IsFinite(result.Value))
            return NotEnough("the likelihood is not finite anywhere the optimiser looked", result.Evaluations);
        if (!FitOptions.Sane(p))
            return NotEnough(
                $"the fit ended at the edge of the parameter range (r={p[0]:G4}, α/scale={p[1]:G4}, a={p[2]:G4}, b={p[3]:G4})",
                result.Evaluations);
        var model = new BgNbd(p[0], p[1] * scale, p[2], p[3]);
        var ll = data.LogLikelihood(p[0], p[1], p[2], p[3]) - data.SumX * Math.Log(scale);
        if (!double.IsFinite(ll)) return NotEnough("the likelihood at the fit is not finite", result.Evaluations);
        return new BgNbdFit(FitStatus.Fitted, model, ll, n, repeat, result.Converged, null, averageRate, result.Evaluations);
    }

    internal static double LogLikelihood(double r, double alpha, double a, double b, int x, double tx, double T)
    {
        var common = LogGamma(r + x) - LogGamma(r) + r * Math.Log(alpha)
                     + LogGamma(a + b) + LogGamma(b + x) - LogGamma(b) - LogGamma(a + b + x);
        var stayed = -(r + x) * Math.Log(alpha + T);
        if (x == 0) return common + stayed;
        var dropped = Math.Log(a) - Math.Log(b + x - 1) - (r + x) * Math.Log(alpha + tx);
        return common + LogAddExp(stayed, dropped);
    }

    internal static double ProbabilityAlive(double r, double alpha, double a, double b, int x, double tx, double T)
    {
        if (x == 0) return 1;
        var logOdds = Math.Log(a / (b + x - 1)) + (r + x) * (Math.Log(alpha + T) - Math.Log(alpha + tx));
        return 1 / (1 + Math.Exp(logOdds));
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ₂F₁(r+x, a−1; a+b+x−1; −t/(α+T))] · P(alive), which is the
    /// paper's formula after the Pfaff transformation (it keeps the series small for large x). At a = 1 the formula
    /// is 0/0: near it, and where a + b + x − 1 = 0, the value is the mean of two evaluations either side.
    /// </summary>
    private static double ConditionalExpectation(double r, double alpha, double a, double b, int x, double tx, double T, double t)
    {
        if (t == 0) return 0;
        const double delta = 1e-6;
        double value;
        if (Math.Abs(a - 1) < delta || Math.Abs(a + b + x - 1) < delta)
        {
            var d = Math.Min(delta, a / 2);
            value = 0.5 * (Core(a - d) + Core(a + d));
        }
        else value = Core(a);
        if (double.IsFinite(value) && value > -1e-9) return Math.Max(0, value); // tiny negatives are rounding
        // Numerical fallback (never reached on realistic data): the alive customer's expected rate times t.
        return ProbabilityAlive(r, alpha, a, b, x, tx, T) * (r + x) / (alpha + T) * t;

        double Core(double aa)
        {
            var c = aa + b + x - 1;
            var f = Hypergeometric2F1(r + x, aa - 1, c, -t / (alpha + T));
            return c / (aa - 1) * (1 - f) * ProbabilityAlive(r, alpha, aa, b, x, tx, T);
        }
    }

    private static double LogAddExp(double u, double v)
    {
        var max = Math.Max(u, v);
        if (double.IsNegativeInfinity(max)) return max;
        return max + Math.Log(Math.Exp(u - max) + Math.Exp(v - max));
    }

    private static double Positive(double v, string name) =>
        double.IsFinite(v) && v > 0 ? v : throw new ArgumentOutOfRangeException(name, v, $"{name} must be a positive number.");

    /// <summary>
    /// The customers grouped by (x, t_x, T), with the x-only terms computed once per distinct x, so that one
    /// likelihood evaluation costs a few logarithms per distinct row.
    /// </summary>
    private sealed class Prepared
    {
        private readonly int[] _xs;      // distinct x values
        private readonly int[] _xIndex;  // row → index in _xs
        private readonly double[] _rowX, _tx, _t, _count;
        private readonly double[] _common, _drop;

        public Prepared(IReadOnlyList<CustomerSummary> customers, double scale)
        {
            var rows = customers
                .GroupBy(c => (c.X, Tx: c.X == 0 ? 0 : c.Tx / scale, T: c.T / scale))
                .Select(g => (g.Key.X, g.Key.Tx, g.Key.T, Count: g.Count()))
                .OrderBy(k => k.X).ThenBy(k => k.T).ThenBy(k => k.Tx)
                .ToArray();
            _xs = rows.Select(k => k.X).Distinct().ToArray();
            var indexOf = _xs.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
            _xIndex = rows.Select(k => indexOf[k.X]).ToArray();
            _rowX = rows.Select(k => (double)k.X).ToArray();
            _tx = rows.Select(k => k.Tx).ToArray();
            _t = rows.Select(k => k.T).ToArray();
            _count = rows.Select(k => (double)k.Count).ToArray();
            SumX = customers.Sum(c => (double)c.X);
            _common = new double[_xs.Length];
            _drop = new double[_xs.Length];
        }

        public double SumX { get; }

        public double LogLikelihood(double r, double alpha, double a, double b)
        {
            var lgR = LogGamma(r);
            var lgB = LogGamma(b);
            var lgAB = LogGamma(a + b);
            var logA = Math.Log(a);
            for (var k = 0; k < _xs.Length; k++)
            {
                var x = _xs[k];
                _common[k] = LogGamma(r + x) - lgR + lgAB + LogGamma(b + x) - lgB - LogGamma(a + b + x);
                _drop[k] = x > 0 ? logA - Math.Log(b + x - 1) : double.NegativeInfinity;
            }
            var rLogAlpha = r * Math.Log(alpha);
            var rows = _rowX.Length;
            if (rows < ParallelFrom) return Sum(0, rows, r, alpha, rLogAlpha);
            // Fixed chunks summed in chunk order: the same value on any number of cores, whatever runs first.
            var partial = new double[Chunks];
            Parallel.For(0, Chunks, c => partial[c] = Sum((int)((long)rows * c / Chunks), (int)((long)rows * (c + 1) / Chunks), r, alpha, rLogAlpha));
            var sum = 0.0;
            foreach (var v in partial) sum += v;
            return sum;
        }

        /// <summary>Below this many distinct rows one core is quicker than handing out the work.</summary>
        private const int ParallelFrom = 8_192;
        private const int Chunks = 16;

        private double Sum(int from, int to, double r, double alpha, double rLogAlpha)
        {
            var sum = 0.0;
            for (var i = from; i < to; i++)
            {
                var k = _xIndex[i];
                var rx = r + _rowX[i];
                var stayed = -rx * Math.Log(alpha + _t[i]);
                var ll = _rowX[i] == 0 ? stayed : LogAddExp(stayed, _drop[k] - rx * Math.Log(alpha + _tx[i]));
                sum += _count[i] * (_common[k] + rLogAlpha + ll);
            }
            return sum;
        }
    }
}

/// <summary>
/// A BG/NBD fit for one merchant. When <see cref="Status"/> is <see cref="FitStatus.NotEnoughData"/> the
/// predictions fall back to simple averages: expected purchases = observed rate x/T × t (the merchant's average
/// rate Σx/ΣT for a customer with T = 0), and P(alive) is unknown (null).
/// </summary>
/// <param name="Parameters">The fitted model; null unless fitted.</param>
/// <param name="LogLikelihood">Log-likelihood at the fit; null unless fitted.</param>
/// <param name="Customers">Customers in the data.</param>
/// <param name="RepeatBuyers">Customers with x &gt; 0.</param>
/// <param name="Converged">The optimiser met its tolerances (a fit can be usable without it).</param>
/// <param name="Reason">Why there is no fit; null when fitted.</param>
/// <param name="AverageRate">The merchant's repeat purchases per time unit, Σx/ΣT.</param>
/// <param name="Evaluations">Likelihood evaluations the optimiser used.</param>
public sealed record BgNbdFit(FitStatus Status, BgNbd? Parameters, double? LogLikelihood, int Customers, int RepeatBuyers,
    bool Converged, string? Reason, double AverageRate, int Evaluations)
{
    [MemberNotNullWhen(true, nameof(Parameters))]
    public bool IsFitted => Status == FitStatus.Fitted && Parameters is not null;

    /// <summary>Expected purchases in the next <paramref name="t"/> units: the model's E[Y(t) | x, t_x, T], or the fallback.</summary>
    public double ExpectedPurchases(int x, double tx, double T, double t)
    {
        if (IsFitted) return Parameters.ExpectedPurchases(x, tx, T, t);
        CustomerSummary.ValidateFinite(x, tx, T);
        CustomerSummary.ValidateHorizon(t);
        return FallbackRate(x, T) * t;
    }

    /// <inheritdoc cref="ExpectedPurchases(int, double, double, double)"/>
    public double ExpectedPurchases(CustomerSummary customer, double t) =>
        ExpectedPurchases(customer.X, customer.Tx, customer.T, t);

    /// <summary>P(alive | x, t_x, T), or null without a fit (no heuristic is offered).</summary>
    public double? ProbabilityAlive(int x, double tx, double T) =>
        IsFitted ? Parameters.ProbabilityAlive(x, tx, T) : null;

    /// <summary>The fallback purchase rate: x/T, or the merchant's average rate when T = 0.</summary>
    public double FallbackRate(int x, double T) => T > 0 ? x / T : AverageRate;
}
