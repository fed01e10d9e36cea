namespace Platform.Crm.Value;

/// <summary>Whether a model could be fitted to a merchant's data.</summary>
public enum FitStatus
{
    /// <summary>Maximum-likelihood parameters were found and are usable.</summary>
    Fitted,

    /// <summary>
    /// The data cannot support a fit (too few customers or repeat buyers, no observation time, non-finite values,
    /// or the optimiser ended at a non-finite likelihood or at the edge of the parameter range). Predictions then
    /// use the simple averages each fit type documents.
    /// </summary>
    NotEnoughData,
}

/// <summary>Minimum data for a model fit.</summary>
/// <param name="MinCustomers">Customers needed for a BG/NBD fit (at least 2 are always required).</param>
/// <param name="MinRepeatBuyers">Customers with x &gt; 0 needed for either fit (at least 1 is always required).</param>
public sealed record FitOptions(int MinCustomers = 30, int MinRepeatBuyers = 10)
{
    public static FitOptions Default { get; } = new();

    /// <summary>Fitted parameters outside [1/<see cref="ParameterBound"/>, <see cref="ParameterBound"/>] (on the
    /// normalised scale the fits use) count as a degenerate fit.</summary>
    internal const double ParameterBound = 1e6;

    /// <summary>
    /// A log-parameter a decade beyond the bound: an optimiser that got there is following a likelihood that keeps
    /// rising towards the edge, a fit <see cref="Sane"/> rejects, so it can stop instead of crawling on to its budget.
    /// </summary>
    internal static bool BeyondEdge(double[] logParameters)
    {
        var limit = Math.Log(ParameterBound * 10);
        foreach (var t in logParameters)
            if (Math.Abs(t) > limit) return true;
        return false;
    }

    internal static bool Sane(IEnumerable<double> parameters) =>
        parameters.All(p => double.IsFinite(p) && p >= 1 / ParameterBound && p <= ParameterBound);
}
