namespace Platform.Crm.Value;

/// <summary>Predicted against actual repeat purchases over a holdout period.</summary>
/// <param name="Customers">Customers compared.</param>
/// <param name="Predicted">Σ E[Y(holdout length) | x, t_x, T].</param>
/// <param name="Actual">Σ holdout purchase days.</param>
public sealed record HoldoutTotals(int Customers, double Predicted, int Actual)
{
    /// <summary>(Predicted − Actual) / Actual; null when nothing was bought in the holdout.</summary>
    public double? RelativeError => Actual == 0 ? null : (Predicted - Actual) / Actual;
}

/// <summary>Checks a purchase model against a holdout period.</summary>
public static class Holdout
{
    /// <param name="holdoutLength">The holdout period's length in model time units (39 weeks for CDNOW).</param>
    public static HoldoutTotals Compare(BgNbdFit fit, IEnumerable<CustomerSummary> customers, double holdoutLength)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Compare(c => fit.ExpectedPurchases(c, holdoutLength), customers, holdoutLength);
    }

    /// <inheritdoc cref="Compare(BgNbdFit, IEnumerable{CustomerSummary}, double)"/>
    public static HoldoutTotals Compare(BgNbd model, IEnumerable<CustomerSummary> customers, double holdoutLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Compare(c => model.ExpectedPurchases(c, holdoutLength), customers, holdoutLength);
    }

    private static HoldoutTotals Compare(Func<CustomerSummary, double> predict, IEnumerable<CustomerSummary> customers, double holdoutLength)
    {
        ArgumentNullException.ThrowIfNull(customers);
        CustomerSummary.ValidateHorizon(holdoutLength, nameof(holdoutLength));
        int n = 0, actual = 0;
        double predicted = 0;
        foreach (var c in customers)
        {
            if (c.HoldoutX < 0) throw new ArgumentException($"HoldoutX must be ≥ 0, got {c.HoldoutX}.", nameof(CustomerSummary.HoldoutX));
            n++;
            actual += c.HoldoutX;
            predicted += predict(c);
        }
        return new HoldoutTotals(n, predicted, actual);
    }
}
