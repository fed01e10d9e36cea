using Platform.Crm.Value;
using Xunit;

namespace Platform.Crm.Tests.Value;

public sealed class SpecialFunctionsTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(0.5, 0.57236494292470008)] // ln √π
    [InlineData(10, 12.801827480081469)] // ln 9!
    [InlineData(0.24, 1.3311791434660619)]
    [InlineData(1e-3, 6.9071788853838537)]
    [InlineData(123.456, 469.60554712992948)]
    public void LogGamma_matches_reference_values(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), 1e-12 * Math.Max(1, Math.Abs(expected)));

    [Fact]
    public void LogGammaSigned_handles_negative_arguments_and_poles()
    {
        Assert.Equal(-0.056243716497674051, SpecialFunctions.LogGammaSigned(-2.5, out var sign), 1e-12);
        Assert.Equal(-1, sign); // Γ(−2.5) ≈ −0.9453
        SpecialFunctions.LogGammaSigned(-1.5, out sign);
        Assert.Equal(1, sign); // Γ(−1.5) ≈ 2.363
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.LogGammaSigned(-3, out sign));
        Assert.Equal(0, sign);
    }

    /// <summary>Reference values from mpmath (30 digits) and closed forms.</summary>
    [Theory]
    [InlineData(1, 1, 2, 0.5, 1.3862943611198906)] // −ln(1−z)/z
    [InlineData(0.5, 0.5, 1.5, 0.25, 1.0471975511965977)] // arcsin(√z)/√z
    [InlineData(2.242593, -0.207114, 4.218638, -0.9012437440974311, 1.0828314161024415)] // CDNOW customer 1, Pfaff
    [InlineData(0.242593, -0.207114, 2.218638, -17.672920463701182, 1.1734451652758353)] // E[X(78)], Pfaff then 1−z
    [InlineData(0.242593, 2.425752, 2.218638, 0.95, 2.4429388845448322)] // lifetimes' untransformed form at t = 78
    [InlineData(0.3, 0.7, 1.6, 0.999, 1.3746499161562563)] // z → 1 − z
    [InlineData(2.5, -0.3, 1.2, 0.9999, -1598.2414889979194)] // c − a − b < 0
    [InlineData(1.5, 2.5, 4.0, 0.995, 17.756759661837592)] // c − a − b = 0 (degenerate)
    [InlineData(1.2, 0.8, 2.0, 0.97, 3.4713481104375085)] // c − a − b = 0
    [InlineData(1.5, 2.5, 3.0, 0.999, 1689.9804604278612)] // c − a − b = −1
    [InlineData(0.25, -0.2, 1.55, -1000.0, 2.1981931697801015)] // far negative
    [InlineData(10000.24, -0.2, 10002.2, -0.026, 1.0051457503224983)] // x = 10,000
    public void Hypergeometric2F1_matches_reference_values(double a, double b, double c, double z, double expected) =>
        Assert.Equal(expected, SpecialFunctions.Hypergeometric2F1(a, b, c, z), 1e-10 * Math.Abs(expected));

    [Fact]
    public void Hypergeometric2F1_closed_forms_near_one()
    {
        foreach (var z in new[] { 0.9, 0.95, 0.99, 0.999, 0.999999 })
        {
            Assert.Equal(-Math.Log(1 - z) / z, SpecialFunctions.Hypergeometric2F1(1, 1, 2, z), 1e-10 * (-Math.Log(1 - z) / z));
            Assert.Equal(Math.Pow(1 - z, -0.7), SpecialFunctions.Hypergeometric2F1(0.7, 2.3, 2.3, z), 1e-10 * Math.Pow(1 - z, -0.7));
        }
        Assert.Equal(1, SpecialFunctions.Hypergeometric2F1(3, 4, 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.Hypergeometric2F1(1, 1, 2, 1));
        Assert.True(double.IsNaN(SpecialFunctions.Hypergeometric2F1(1, 1, -2, 0.5)));
    }
}
