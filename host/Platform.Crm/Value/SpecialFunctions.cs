namespace Platform.Crm.Value;

/// <summary>
/// Log-gamma and the Gauss hypergeometric function 2F1, as the BG/NBD model needs them. Pure double arithmetic,
/// no tables, deterministic.
/// </summary>
public static class SpecialFunctions
{
    private const double LanczosG = 7;

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, about 15 significant digits).</summary>
    public static double LogGamma(double x)
    {
        if (double.IsNaN(x) || x <= 0) return double.NaN;
        if (double.IsPositiveInfinity(x)) return double.PositiveInfinity;
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        var t = x + LanczosG + 0.5;
        return HalfLogTwoPi + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>
    /// ln |Γ(x)| and the sign of Γ(x) for any real x. At the poles (0, −1, −2, …) it returns +∞ with sign 0, so that
    /// 1/Γ there is 0.
    /// </summary>
    public static double LogGammaSigned(double x, out int sign)
    {
        if (x > 0)
        {
            sign = 1;
            return LogGamma(x);
        }
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            sign = 0;
            return double.NaN;
        }
        if (x == Math.Floor(x))
        {
            sign = 0;
            return double.PositiveInfinity;
        }
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        var s = Math.Sin(Math.PI * Math.IEEERemainder(x, 2)); // reduced to [−1, 1], exactly, keeping tiny x tiny
        sign = s > 0 ? 1 : -1;
        return Math.Log(Math.PI / Math.Abs(s)) - LogGamma(1 - x);
    }

    /// <summary>ln B(a, b) for a, b &gt; 0.</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>
    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real z &lt; 1. Uses the power series for 0 ≤ z ≤ 0.9,
    /// the Pfaff (Euler) transformation z → z/(z − 1) for z &lt; 0, and the linear transformation z → 1 − z for
    /// z &gt; 0.9 (interpolating across the degenerate case where c − a − b is an integer). Returns NaN when c is
    /// 0 or a negative integer (the function is undefined there) or when the series does not converge.
    /// </summary>
    public static double Hypergeometric2F1(double a, double b, double c, double z)
    {
        if (double.IsNaN(a) || double.IsNaN(b) || double.IsNaN(c) || double.IsNaN(z)) return double.NaN;
        if (!(z < 1)) throw new ArgumentOutOfRangeException(nameof(z), z, "2F1 is only evaluated for z < 1.");
        if (IsNonPositiveInteger(c)) return double.NaN;
        if (z == 0 || a == 0 || b == 0) return 1;
        if (z < 0)
        {
            // Pfaff: 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)) = (1−z)^(−b) 2F1(c−a, b; c; z/(z−1)).
            // Take the form whose new series has the smaller numerator parameters: it grows least.
            var w = z / (z - 1);
            var logOneMinusZ = Math.Log(1 - z);
            return Math.Abs(a * (c - b)) <= Math.Abs((c - a) * b)
                ? Math.Exp(-a * logOneMinusZ) * OnUnitInterval(a, c - b, c, w)
                : Math.Exp(-b * logOneMinusZ) * OnUnitInterval(c - a, b, c, w);
        }
        return OnUnitInterval(a, b, c, z);
    }

    /// <summary>2F1 for 0 ≤ z &lt; 1.</summary>
    private static double OnUnitInterval(double a, double b, double c, double z)
    {
        if (z <= 0.9 || IsNonPositiveInteger(a) || IsNonPositiveInteger(b))
        {
            var direct = Series(a, b, c, z, 100_000);
            if (double.IsFinite(direct) || z <= 0.9) return direct;
        }
        var m = c - a - b;
        var k = Math.Round(m);
        const double delta = 1e-4;
        if (Math.Abs(m - k) >= delta) return NearOne(a, b, c, z);
        // c − a − b (nearly) an integer: the two terms of the connection formula have poles that cancel. Evaluate
        // at c − a − b = k ± δ, k ± 2δ and interpolate with the cubic through those four points (error O(δ⁴)).
        ReadOnlySpan<double> nodes = [-2 * delta, -delta, delta, 2 * delta];
        var u = m - k;
        var sum = 0.0;
        for (var i = 0; i < nodes.Length; i++)
        {
            var weight = 1.0;
            for (var j = 0; j < nodes.Length; j++)
                if (j != i) weight *= (u - nodes[j]) / (nodes[i] - nodes[j]);
            sum += weight * NearOne(a, b, c + (k + nodes[i] - m), z);
        }
        return sum;
    }

    /// <summary>
    /// The connection formula for z near 1 (Abramowitz &amp; Stegun 15.3.6), valid when c − a − b is not an integer:
    /// 2F1(a,b;c;z) = Γ(c)Γ(m)/(Γ(c−a)Γ(c−b)) 2F1(a,b;1−m;1−z) + (1−z)^m Γ(c)Γ(−m)/(Γ(a)Γ(b)) 2F1(c−a,c−b;1+m;1−z),
    /// m = c − a − b.
    /// </summary>
    private static double NearOne(double a, double b, double c, double z)
    {
        var m = c - a - b;
        var w = 1 - z;
        var lgC = LogGammaSigned(c, out var sC);
        var first = 0.0;
        var lg1 = lgC + LogGammaSigned(m, out var sM) - LogGammaSigned(c - a, out var sCa) - LogGammaSigned(c - b, out var sCb);
        if (sCa != 0 && sCb != 0) first = sC * sM * sCa * sCb * Math.Exp(lg1) * Series(a, b, 1 - m, w, 100_000);
        var second = 0.0;
        var lg2 = lgC + LogGammaSigned(-m, out var sNegM) - LogGammaSigned(a, out var sA) - LogGammaSigned(b, out var sB) + m * Math.Log(w);
        if (sA != 0 && sB != 0) second = sC * sNegM * sA * sB * Math.Exp(lg2) * Series(c - a, c - b, 1 + m, w, 100_000);
        return first + second;
    }

    /// <summary>The power series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ, summed until the remaining tail is below 1e−17 of the sum.</summary>
    private static double Series(double a, double b, double c, double z, int maxTerms)
    {
        double sum = 1, term = 1;
        for (var n = 0; n < maxTerms; n++)
        {
            var ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            sum += term;
            if (term == 0) return sum; // a terminating (polynomial) series
            if (!double.IsFinite(sum)) return double.NaN;
            var r = Math.Max(Math.Abs(ratio), Math.Abs(z)); // later ratios tend to |z|
            if (n >= 1 && r < 1 && Math.Abs(term) * r / (1 - r) <= 1e-17 * Math.Abs(sum)) return sum;
        }
        return double.NaN;
    }

    private static bool IsNonPositiveInteger(double v) => v <= 0 && v == Math.Floor(v);
}
