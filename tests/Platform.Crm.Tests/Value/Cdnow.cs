using System.Globalization;
using Platform.Crm.Value;

namespace Platform.Crm.Tests.Value;

/// <summary>The CDNOW reference data (Data/cdnow, copied to the output directory) and fits on it, loaded once.</summary>
internal static class Cdnow
{
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);
    public static readonly DateOnly HoldoutEnd = new(1998, 6, 30);
    public const double HoldoutWeeks = 39;

    private static readonly Lazy<IReadOnlyList<Transaction>> LazyTransactions = new(LoadTransactions);
    private static readonly Lazy<IReadOnlyList<CustomerSummary>> LazySummary =
        new(() => SummaryBuilder.Build(Transactions, CalibrationEnd, HoldoutEnd));
    private static readonly Lazy<IReadOnlyList<CustomerSummary>> LazySummaryFile = new(LoadSummaryFile);
    private static readonly Lazy<BgNbdFit> LazyBgNbd = new(() => BgNbd.Fit(Summary));
    private static readonly Lazy<GammaGammaFit> LazyGammaGamma = new(() => GammaGamma.Fit(Summary));

    public static IReadOnlyList<Transaction> Transactions => LazyTransactions.Value;

    /// <summary>Built from CDNOW_sample.txt: exact day counts / 7, exact zbar, holdout counts.</summary>
    public static IReadOnlyList<CustomerSummary> Summary => LazySummary.Value;

    /// <summary>cdnow_customers_summary_with_transactions.csv: 2-decimal t_x, T and zbar.</summary>
    public static IReadOnlyList<CustomerSummary> SummaryFile => LazySummaryFile.Value;

    /// <summary>BG/NBD fitted on <see cref="Summary"/>.</summary>
    public static BgNbdFit BgNbdFit => LazyBgNbd.Value;

    /// <summary>Gamma-Gamma fitted on <see cref="Summary"/> (exact zbar).</summary>
    public static GammaGammaFit GammaGammaFit => LazyGammaGamma.Value;

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Data", "cdnow", file);

    /// <summary>Rows of a CSV file (header skipped), split on commas.</summary>
    public static IEnumerable<string[]> Csv(string file) =>
        File.ReadAllLines(PathOf(file)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));

    public static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static IReadOnlyList<Transaction> LoadTransactions() =>
        File.ReadAllLines(PathOf("CDNOW_sample.txt"))
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5)
            .Select(f => new Transaction(
                int.Parse(f[1], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                DateOnly.ParseExact(f[2], "yyyyMMdd", CultureInfo.InvariantCulture),
                decimal.Parse(f[4], CultureInfo.InvariantCulture)))
            .ToList();

    private static IReadOnlyList<CustomerSummary> LoadSummaryFile() =>
        Csv("cdnow_customers_summary_with_transactions.csv")
            .Select(f => new CustomerSummary(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), D(f[2]), D(f[3]), D(f[4])))
            .ToList();
}
