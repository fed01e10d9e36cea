namespace Platform.Crm.Value;

/// <summary>One purchase row: a customer, the day, the money (in the merchant's currency).</summary>
public sealed record Transaction(string CustomerId, DateOnly Date, decimal Amount);

/// <summary>
/// What the BG/NBD and Gamma-Gamma models see of one customer, with times in the model's unit (weeks by default).
/// </summary>
/// <param name="X">Repeat purchases in the calibration period: purchase days after the first purchase day.</param>
/// <param name="Tx">Time from the first purchase to the last calibration purchase (0 when <paramref name="X"/> = 0; ignored then).</param>
/// <param name="T">Time from the first purchase to the end of calibration (the customer's age).</param>
/// <param name="Zbar">Mean value of the <paramref name="X"/> repeat purchase days, first purchase excluded (0 when X = 0).</param>
/// <param name="HoldoutX">Purchase days in the holdout period, when one was given.</param>
public sealed record CustomerSummary(string CustomerId, int X, double Tx, double T, double Zbar = 0, int HoldoutX = 0)
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the field when a value is negative or t_x &gt; T. Non-finite
    /// values pass (a fit reports them as not enough data); see <see cref="ValidateFinite"/>.
    /// </summary>
    internal static void Validate(int x, double tx, double T)
    {
        if (x < 0) throw new ArgumentException($"x (repeat purchases) must be ≥ 0, got {x}.", nameof(X));
        if (tx < 0) throw new ArgumentException($"t_x (recency) must be ≥ 0, got {tx}.", nameof(Tx));
        if (T < 0) throw new ArgumentException($"T (age) must be ≥ 0, got {T}.", nameof(T));
        if (x > 0 && tx > T + 1e-9 * Math.Max(1, T))
            throw new ArgumentException($"t_x ({tx}) must not exceed T ({T}).", nameof(Tx));
    }

    /// <summary><see cref="Validate"/>, and also rejects NaN and infinities (for per-customer predictions).</summary>
    internal static void ValidateFinite(int x, double tx, double T)
    {
        if (!double.IsFinite(tx)) throw new ArgumentException($"t_x (recency) must be finite, got {tx}.", nameof(Tx));
        if (!double.IsFinite(T)) throw new ArgumentException($"T (age) must be finite, got {T}.", nameof(T));
        Validate(x, tx, T);
    }

    internal static void ValidateHorizon(double t, string name = "t")
    {
        if (!double.IsFinite(t) || t < 0) throw new ArgumentException($"{name} must be finite and ≥ 0, got {t}.", name);
    }
}

/// <summary>
/// Builds <see cref="CustomerSummary"/> rows from a transaction log, following the CDNOW rules
/// (shared/data/cdnow/README.md): all rows of one customer on one date are one purchase worth their sum; x counts
/// the distinct purchase dates d with d0 &lt; d ≤ calibration end (d0 = first purchase date); t_x = (last such
/// date − d0) and T = (calibration end − d0), in days divided by the unit's length; zbar is the mean daily total
/// over the x repeat days. Customers whose first purchase is after the calibration end are left out.
/// </summary>
public static class SummaryBuilder
{
    /// <param name="transactions">The log; order does not matter.</param>
    /// <param name="calibrationEnd">Last day of the calibration period (inclusive).</param>
    /// <param name="holdoutEnd">Last day of the holdout period (inclusive), to count <see cref="CustomerSummary.HoldoutX"/>.
    /// Without it, purchases after the calibration end are ignored.</param>
    /// <param name="daysPerUnit">Length of the model's time unit in days: 7 for weeks, 1 for days.</param>
    /// <returns>One row per customer, ordered by customer id (ordinal).</returns>
    public static IReadOnlyList<CustomerSummary> Build(IEnumerable<Transaction> transactions, DateOnly calibrationEnd,
        DateOnly? holdoutEnd = null, double daysPerUnit = 7)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        if (!double.IsFinite(daysPerUnit) || daysPerUnit <= 0)
            throw new ArgumentException($"daysPerUnit must be a positive number, got {daysPerUnit}.", nameof(daysPerUnit));
        if (holdoutEnd < calibrationEnd)
            throw new ArgumentException("The holdout must not end before the calibration period.", nameof(holdoutEnd));
        var lastDay = holdoutEnd ?? calibrationEnd;

        var days = DailyTotals(transactions);
        var result = new List<CustomerSummary>(days.Count);
        foreach (var (customer, totals) in days.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var first = totals.Keys.Min();
            if (first > calibrationEnd) continue;
            int x = 0, holdout = 0;
            var last = first;
            var repeatTotal = 0m;
            foreach (var (date, total) in totals)
            {
                if (date == first) continue;
                if (date <= calibrationEnd)
                {
                    x++;
                    repeatTotal += total;
                    if (date > last) last = date;
                }
                else if (date <= lastDay) holdout++;
            }
            result.Add(new CustomerSummary(customer, x,
                Tx: (last.DayNumber - first.DayNumber) / daysPerUnit,
                T: (calibrationEnd.DayNumber - first.DayNumber) / daysPerUnit,
                Zbar: x == 0 ? 0 : (double)(repeatTotal / x),
                HoldoutX: holdout));
        }
        return result;
    }

    /// <summary>
    /// Per customer, the total of each purchase day (same-day rows merged). Throws <see cref="ArgumentException"/>
    /// for a missing customer id or a negative amount.
    /// </summary>
    public static Dictionary<string, SortedDictionary<DateOnly, decimal>> DailyTotals(IEnumerable<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var days = new Dictionary<string, SortedDictionary<DateOnly, decimal>>(StringComparer.Ordinal);
        foreach (var t in transactions)
        {
            if (string.IsNullOrEmpty(t.CustomerId))
                throw new ArgumentException("A transaction has no customer id.", nameof(Transaction.CustomerId));
            if (t.Amount < 0)
                throw new ArgumentException($"Amount must be ≥ 0 (customer {t.CustomerId}, {t.Date:yyyy-MM-dd}: {t.Amount}); net refunds before summarising.",
                    nameof(Transaction.Amount));
            if (!days.TryGetValue(t.CustomerId, out var perDay)) days[t.CustomerId] = perDay = [];
            perDay[t.Date] = perDay.GetValueOrDefault(t.Date) + t.Amount;
        }
        return days;
    }
}
