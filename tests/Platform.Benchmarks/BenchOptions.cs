using System.Globalization;

namespace Platform.Benchmarks;

/// <summary>Command-line options: the size of the sandbox store to ingest.</summary>
public sealed record BenchOptions(double OrdersPerDay, int People, int Days, int PageSize)
{
    public static BenchOptions Defaults { get; } = new(1112, 30_000, 90, 1000);

    /// <summary>Parses <c>--orders-per-day N --people N --days N --page-size N</c>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = Defaults;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"option {name} needs a value");
            var value = args[++i];
            o = name switch
            {
                "--orders-per-day" => o with { OrdersPerDay = Number(name, value, 0.001, 100_000) },
                "--people" => o with { People = (int)Number(name, value, 1, 1_000_000) },
                "--days" => o with { Days = (int)Number(name, value, 1, 3650) },
                "--page-size" => o with { PageSize = (int)Number(name, value, 1, 1000) },
                _ => throw new ArgumentException($"unknown option {name}: use --orders-per-day, --people, --days, --page-size"),
            };
        }
        return o;
    }

    /// <summary>The value of option <paramref name="name"/> as a number in [min, max]; shared with <see cref="IdentityOptions"/>.</summary>
    internal static double Number(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"option {name} must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}; it is '{value}'");
}
