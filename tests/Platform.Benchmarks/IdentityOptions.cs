namespace Platform.Benchmarks;

/// <summary>
/// Command-line options of the identity mode (<c>--identity</c>): how many orders the three sandbox stores hold
/// together, how many people they share, over how many days.
/// </summary>
public sealed record IdentityOptions(int Orders, int People, int Days, int ChurnDays = 0)
{
    public const string Flag = "--identity";

    /// <summary>The stores s1, s2, s3 that share one population.</summary>
    public const int Stores = 3;

    /// <summary>The sandbox's largest page: fewest round trips, like the default mode's default.</summary>
    public const int PageSize = 1000;

    /// <summary>The sandbox refuses more (see its plugin.json).</summary>
    private const double MaxOrdersPerDay = 100_000;

    /// <summary>
    /// 270,000 people for about 300,000 customers: each store sells to ~60 % of the people, and a person who buys
    /// in several stores stays several customers when the accounts share no email or phone (~15 % of accounts show
    /// neither), so there are more customers than buyers. Measured at 1/33 of the size: 30,000 orders with 8,100
    /// people gave 9,023 customers (with 15,000 people, 13,511: 450,000 people would give about 420,000).
    /// </summary>
    public static IdentityOptions Defaults { get; } = new(1_000_000, 270_000, 90);

    /// <summary>
    /// Orders per day in each store, so that the stores together place about <see cref="Orders"/> orders in <see cref="Days"/> days.
    /// With churn the sandbox scales a day's orders by the share of the purchase rate still buying, which depends on
    /// how often each shopper buys: the stores then place fewer orders than asked (measured at the default size:
    /// about 83 %), and the benchmark reports the count it got.
    /// </summary>
    public double OrdersPerDay => (double)Orders / (Stores * Days);

    public static bool IsSelected(string[] args) => args.Contains(Flag, StringComparer.Ordinal);

    /// <summary>Parses <c>--identity [--orders N] [--people N] [--days N] [--churn-days N]</c>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static IdentityOptions Parse(string[] args)
    {
        var o = Defaults;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == Flag) continue;
            if (i + 1 >= args.Length) throw new ArgumentException($"option {name} needs a value");
            var value = args[++i];
            o = name switch
            {
                "--orders" => o with { Orders = (int)BenchOptions.Number(name, value, 1, 10_000_000) },
                "--people" => o with { People = (int)BenchOptions.Number(name, value, 1, 1_000_000) },
                "--days" => o with { Days = (int)BenchOptions.Number(name, value, 1, 3650) },
                "--churn-days" => o with { ChurnDays = (int)BenchOptions.Number(name, value, 0, 3650) },
                _ => throw new ArgumentException($"unknown option {name}: use --orders, --people, --days, --churn-days"),
            };
        }
        if (o.OrdersPerDay > MaxOrdersPerDay)
            throw new ArgumentException($"option --orders {o.Orders} over --days {o.Days} gives {o.OrdersPerDay:0} orders per day in each of the {Stores} stores; " +
                                        $"the sandbox allows at most {MaxOrdersPerDay:0}: lower --orders or raise --days");
        return o;
    }
}
