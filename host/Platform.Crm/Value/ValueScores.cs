namespace Platform.Crm.Value;

/// <summary>
/// What one customer's value dimensions are computed from (money in the merchant's currency). Customers without
/// a purchase have <see cref="PurchaseDays"/> 0 and no RFM.
/// </summary>
/// <param name="Spend12Months">Revenue of the last 12 months (current contribution).</param>
/// <param name="TotalSpend">Revenue of all time (RFM monetary).</param>
/// <param name="Clv">Predicted 12-month value (future contribution).</param>
/// <param name="PaidOrders">Orders paid and not taken back.</param>
/// <param name="CancelledOrders">Orders cancelled (unpaid or called off).</param>
/// <param name="ReturnedOrders">Orders refunded or returned.</param>
/// <param name="PurchaseDays">Distinct days with a purchase (RFM frequency, repeat rate).</param>
/// <param name="RecencyDays">Days since the last purchase (RFM recency); null without purchases.</param>
/// <param name="TenureDays">Days since the first purchase.</param>
/// <param name="PAlive">Probability the customer is still active (null before a model is fitted).</param>
/// <param name="ChannelShare">Share of the merchant's stores the customer buys or talks in, 0–1.</param>
/// <param name="SpendLast6Months">Revenue of the last 6 months.</param>
/// <param name="SpendPrior6Months">Revenue of the 6 months before those.</param>
/// <param name="Reviews">Reviews written.</param>
/// <param name="AverageRating">Their average rating (null without reviews).</param>
/// <param name="Messages">Chat messages the customer sent.</param>
public sealed record ValueInputs(
    string CustomerId,
    decimal Spend12Months,
    decimal TotalSpend,
    double Clv,
    int PaidOrders,
    int CancelledOrders,
    int ReturnedOrders,
    int PurchaseDays,
    double? RecencyDays,
    double TenureDays,
    double? PAlive,
    double ChannelShare,
    decimal SpendLast6Months,
    decimal SpendPrior6Months,
    int Reviews,
    double? AverageRating,
    int Messages)
{
    /// <summary>Share of settled orders that were paid and kept (0.5 without orders: nothing known).</summary>
    public double PaidShare
    {
        get
        {
            var settled = PaidOrders + CancelledOrders + ReturnedOrders;
            return settled == 0 ? 0.5 : (double)PaidOrders / settled;
        }
    }

    /// <summary>Spend trend in [-1, 1]: (last 6 months − the 6 before) / (their sum); 0 when both are 0.</summary>
    public double Growth
    {
        get
        {
            var sum = SpendLast6Months + SpendPrior6Months;
            return sum <= 0 ? 0 : (double)((SpendLast6Months - SpendPrior6Months) / sum);
        }
    }
}

/// <summary>Weights of the composite score (any non-negative numbers; they are normalized to sum 1).</summary>
public sealed record ValueWeights(double Current, double Future, double Credit, double Loyalty, double Growth, double EValue)
{
    public static ValueWeights Default { get; } = new(0.30, 0.25, 0.10, 0.15, 0.10, 0.10);

    public IReadOnlyList<string> Problems()
    {
        var all = new[] { (nameof(Current), Current), (nameof(Future), Future), (nameof(Credit), Credit), (nameof(Loyalty), Loyalty), (nameof(Growth), Growth), (nameof(EValue), EValue) };
        var problems = all.Where(w => !double.IsFinite(w.Item2) || w.Item2 < 0).Select(w => $"{w.Item1} is {w.Item2}; weights are numbers ≥ 0").ToList();
        if (problems.Count == 0 && all.Sum(w => w.Item2) <= 0) problems.Add("all weights are 0; give at least one dimension a weight");
        return problems;
    }
}

/// <summary>A dimension's 0–100 score and the inputs it was computed from (so a merchant sees why).</summary>
public sealed record DimensionScore(double Score, IReadOnlyDictionary<string, object?> Inputs);

/// <summary>One customer's scores: RFM (null without purchases), the six dimensions, the composite and the flags.</summary>
public sealed record CustomerScores(
    string CustomerId,
    int? R, int? F, int? M, RfmSegment? Segment,
    DimensionScore Current, DimensionScore Future, DimensionScore Credit, string CreditGrade,
    DimensionScore Loyalty, DimensionScore Growth, DimensionScore EValue,
    double Composite, bool KeyAccount, bool Growing);

/// <summary>The populations a merchant's customers are ranked within (from the last full scoring).</summary>
public sealed class ValueDistributions
{
    public Dictionary<string, Distribution> Measures { get; init; } = new(StringComparer.Ordinal);

    public double Rank(string measure, double value) => Measures.TryGetValue(measure, out var d) ? d.RankOf(value) : 50;
}

/// <summary>
/// The comprehensive value model of crm.md section 2, pure: each dimension is a percentile (0–100) of its measure
/// within the merchant; loyalty and e-value average the percentiles of their parts first. A full scoring builds
/// the distributions from everyone (<see cref="Distributions"/>); rescoring a few customers after a sync ranks them
/// within those (<see cref="Score"/>), so nobody else changes until the next full scoring.
/// </summary>
public static class ValueScores
{
    /// <summary>Credit grades by paid share: A ≥ 95 %, B ≥ 80 %, C ≥ 50 % (and customers without settled orders), D below.</summary>
    public static string Grade(ValueInputs c)
    {
        var settled = c.PaidOrders + c.CancelledOrders + c.ReturnedOrders;
        if (settled == 0) return "C";
        var share = c.PaidShare;
        return share >= 0.95 ? "A" : share >= 0.80 ? "B" : share >= 0.50 ? "C" : "D";
    }

    /// <summary>Builds every distribution from the whole population.</summary>
    public static ValueDistributions Distributions(IReadOnlyList<ValueInputs> population, ValueWeights weights)
    {
        ArgumentNullException.ThrowIfNull(population);
        var d = new ValueDistributions();
        void Add(string name, IEnumerable<double> values) => d.Measures[name] = Distribution.Of(values);
        var buyers = population.Where(c => c.RecencyDays is not null).ToList();
        Add("recency", buyers.Select(c => -c.RecencyDays!.Value));
        Add("frequency", buyers.Select(c => (double)c.PurchaseDays));
        Add("monetary", buyers.Select(c => (double)c.TotalSpend));
        Add("spend12", population.Select(c => (double)c.Spend12Months));
        Add("clv", population.Select(c => c.Clv));
        Add("paidShare", population.Select(c => c.PaidShare));
        Add("purchaseDays", population.Select(c => (double)c.PurchaseDays));
        Add("tenure", population.Select(c => c.TenureDays));
        Add("pAlive", population.Where(c => c.PAlive is not null).Select(c => c.PAlive!.Value));
        Add("channels", population.Select(c => c.ChannelShare));
        Add("growth", population.Select(c => c.Growth));
        Add("reviews", population.Select(c => (double)c.Reviews));
        Add("rating", population.Where(c => c.AverageRating is not null).Select(c => c.AverageRating!.Value));
        Add("messages", population.Select(c => (double)c.Messages));
        // Loyalty and e-value are ranked on the mean of their parts' ranks: those need the parts' distributions first.
        // Each value depends on one customer only and a distribution does not depend on order: computed on all cores.
        Add("loyalty", population.AsParallel().Select(c => LoyaltyMean(c, d)));
        Add("eValue", population.AsParallel().Select(c => EValueMean(c, d)));
        Add("composite", population.AsParallel().Select(c => Composite(Ranks(c, d), weights)));
        return d;
    }

    /// <summary>
    /// Scores one customer within <paramref name="d"/>. Key account: composite within the top
    /// <paramref name="keyAccountPercent"/> %. Growing: small now (current contribution under 50) but with a high
    /// predicted value (future contribution ≥ <paramref name="growingFuture"/>, default 80).
    /// </summary>
    public static CustomerScores Score(ValueInputs c, ValueDistributions d, ValueWeights weights, double keyAccountPercent, double? growingFuture = 80)
    {
        int? r = null, f = null, m = null;
        RfmSegment? segment = null;
        if (c.RecencyDays is { } recency)
        {
            r = Percentile.Quintile(d.Rank("recency", -recency));
            f = Percentile.Quintile(d.Rank("frequency", c.PurchaseDays));
            m = Percentile.Quintile(d.Rank("monetary", (double)c.TotalSpend));
            segment = Rfm.Segment(r.Value, Rfm.CombineFm(f.Value, m.Value));
        }
        var ranks = Ranks(c, d);
        var current = Dim(ranks.Current, ("spend12Months", c.Spend12Months));
        var future = Dim(ranks.Future, ("clv", Math.Round(c.Clv, 2)));
        var credit = Dim(ranks.Credit, ("paidOrders", c.PaidOrders), ("cancelledOrders", c.CancelledOrders),
            ("returnedOrders", c.ReturnedOrders), ("paidShare", Math.Round(c.PaidShare, 4)));
        var loyalty = Dim(ranks.Loyalty, ("purchaseDays", c.PurchaseDays), ("tenureDays", Math.Round(c.TenureDays, 1)),
            ("pAlive", c.PAlive is { } p ? Math.Round(p, 4) : null), ("channelShare", Math.Round(c.ChannelShare, 4)));
        var growth = Dim(ranks.Growth, ("spendLast6Months", c.SpendLast6Months), ("spendPrior6Months", c.SpendPrior6Months),
            ("trend", Math.Round(c.Growth, 4)));
        var eValue = Dim(ranks.EValue, ("reviews", c.Reviews),
            ("averageRating", c.AverageRating is { } a ? Math.Round(a, 2) : null), ("messages", c.Messages));
        var composite = Composite(ranks, weights);
        var key = keyAccountPercent > 0 && d.Measures.ContainsKey("composite") && d.Rank("composite", composite) >= 100 - keyAccountPercent;
        var growing = growingFuture is { } g && current.Score < 50 && future.Score >= g;
        return new CustomerScores(c.CustomerId, r, f, m, segment, current, future, credit, Grade(c), loyalty, growth, eValue, composite, key, growing);
    }

    /// <summary>The six dimensions' scores (percentile ranks to one decimal).</summary>
    private readonly record struct DimensionRanks(double Current, double Future, double Credit, double Loyalty, double Growth, double EValue);

    private static DimensionRanks Ranks(ValueInputs c, ValueDistributions d) => new(
        Math.Round(d.Rank("spend12", (double)c.Spend12Months), 1),
        Math.Round(d.Rank("clv", c.Clv), 1),
        Math.Round(d.Rank("paidShare", c.PaidShare), 1),
        Math.Round(d.Rank("loyalty", LoyaltyMean(c, d)), 1),
        Math.Round(d.Rank("growth", c.Growth), 1),
        Math.Round(d.Rank("eValue", EValueMean(c, d)), 1));

    /// <summary>The weighted mean of the dimension scores, to one decimal.</summary>
    private static double Composite(DimensionRanks r, ValueWeights weights)
    {
        var total = weights.Current + weights.Future + weights.Credit + weights.Loyalty + weights.Growth + weights.EValue;
        return Math.Round((weights.Current * r.Current + weights.Future * r.Future + weights.Credit * r.Credit +
                           weights.Loyalty * r.Loyalty + weights.Growth * r.Growth + weights.EValue * r.EValue) / total, 1);
    }

    private static double LoyaltyMean(ValueInputs c, ValueDistributions d) =>
        (d.Rank("purchaseDays", c.PurchaseDays) + d.Rank("tenure", c.TenureDays) + (c.PAlive is { } p ? d.Rank("pAlive", p) : 50) + d.Rank("channels", c.ChannelShare)) / 4;

    private static double EValueMean(ValueInputs c, ValueDistributions d) =>
        (d.Rank("reviews", c.Reviews) + (c.AverageRating is { } a ? d.Rank("rating", a) : 50) + d.Rank("messages", c.Messages)) / 3;

    private static DimensionScore Dim(double score, params (string Name, object? Value)[] inputs) =>
        new(score, inputs.ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal));
}
