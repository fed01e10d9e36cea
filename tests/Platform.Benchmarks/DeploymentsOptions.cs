namespace Platform.Benchmarks;

/// <summary>
/// Command-line options of <c>--deployments</c>: the sandbox store every deployment ingests (same as the default
/// mode's options, smaller defaults: 30,000 orders) and how many concurrent API clients read while it does.
/// </summary>
public sealed record DeploymentsOptions(BenchOptions Store, int Readers)
{
    public const string Flag = "--deployments";

    public const string Usage = "usage: dotnet run -c Release --project tests/Platform.Benchmarks -- --deployments [--orders-per-day 1000] [--days 30] [--people 9000] [--page-size 1000] [--readers 100]";

    /// <summary>About 30,000 orders (≈ 9,000 people for the default mode's orders-to-people ratio): a few minutes for the three deployments.</summary>
    public static DeploymentsOptions Defaults { get; } = new(new BenchOptions(1000, 9000, 30, 1000), 100);

    public static bool IsSelected(string[] args) => args.Contains(Flag, StringComparer.Ordinal);

    /// <summary>Parses <c>--deployments [--orders-per-day N] [--days N] [--people N] [--page-size N] [--readers N]</c>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static DeploymentsOptions Parse(string[] args)
    {
        var o = Defaults;
        var store = o.Store;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == Flag) continue;
            if (i + 1 >= args.Length) throw new ArgumentException($"option {name} needs a value");
            var value = args[++i];
            switch (name)
            {
                case "--orders-per-day": store = store with { OrdersPerDay = BenchOptions.Number(name, value, 0.001, 100_000) }; break;
                case "--people": store = store with { People = (int)BenchOptions.Number(name, value, 1, 1_000_000) }; break;
                case "--days": store = store with { Days = (int)BenchOptions.Number(name, value, 1, 3650) }; break;
                case "--page-size": store = store with { PageSize = (int)BenchOptions.Number(name, value, 1, 1000) }; break;
                case "--readers": o = o with { Readers = (int)BenchOptions.Number(name, value, 0, 1000) }; break;
                default: throw new ArgumentException($"unknown option {name}: use --orders-per-day, --days, --people, --page-size, --readers");
            }
        }
        return o with { Store = store };
    }
}
