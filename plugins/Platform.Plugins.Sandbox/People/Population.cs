using System.Collections.Immutable;
using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.People;

/// <summary>
/// The people of a population seed. A person is a pure function of the seed and the person's index,
/// so stores that share the seed share the people.
/// </summary>
internal sealed class Population(long seed)
{
    private static readonly ImmutableArray<string> SingaporePrefixes = ["81", "82", "83", "85", "86", "87", "88", "90", "91", "92", "93", "94", "96", "97", "98"];
    private static readonly ImmutableArray<string> MalaysiaPrefixes = ["12", "16"];
    private static readonly ImmutableArray<string> MalaysiaCities = ["Kuala Lumpur", "Petaling Jaya", "Johor Bahru", "George Town", "Shah Alam", "Ipoh", "Kota Kinabalu", "Kuching"];
    private static readonly ImmutableArray<(string City, string AreaCode)> UnitedStatesCities =
    [
        ("New York", "212"), ("New York", "646"), ("San Francisco", "415"), ("Los Angeles", "310"), ("Los Angeles", "213"),
        ("Seattle", "206"), ("Chicago", "312"), ("Houston", "713"), ("Miami", "305"), ("Boston", "617"),
    ];
    private static readonly ImmutableArray<string> SingaporeDomains = ["gmail.com", "gmail.com", "gmail.com", "hotmail.com", "yahoo.com.sg", "outlook.com", "icloud.com", "singnet.com.sg", "example.com"];
    private static readonly ImmutableArray<string> MalaysiaDomains = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com.my", "hotmail.com", "outlook.com", "icloud.com", "example.com"];
    private static readonly ImmutableArray<string> UnitedStatesDomains = ["gmail.com", "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "example.com"];

    public ulong Seed { get; } = StableHash.Of((ulong)seed, Salt.Population);

    public Person Person(int index)
    {
        var draws = new Draws(StableHash.Of(Seed, (ulong)index, Salt.Person));
        var where = draws.Unit();
        var country = where < 0.70 ? "SG" : where < 0.88 ? "MY" : "US";
        var (name, first, last) = Name(Style(country, draws.Unit()), ref draws);

        string city;
        Phone phone;
        switch (country)
        {
            case "SG":
                city = "Singapore";
                phone = new Phone("SG", "65", Pick(SingaporePrefixes, ref draws) + draws.Digits(6));
                break;
            case "MY":
                city = Pick(MalaysiaCities, ref draws);
                phone = new Phone("MY", "60", Pick(MalaysiaPrefixes, ref draws) + draws.Digits(7));
                break;
            default:
                var (usCity, areaCode) = Pick(UnitedStatesCities, ref draws);
                city = usCity;
                var exchange = $"{draws.Between(2, 9)}{draws.Digits(2)}";
                if (exchange.EndsWith("11", StringComparison.Ordinal))
                    exchange = exchange[..2] + "2";
                phone = new Phone("US", "1", areaCode + exchange + draws.Digits(4));
                break;
        }

        var hasPhone = draws.Chance(0.70);
        var hasEmail = draws.Chance(0.85);
        var email = hasEmail ? Email(first, last, index, country, ref draws) : null;
        return new Person(index, name, first, last, email, hasPhone ? phone : null, country, city);
    }

    private static NameStyle Style(string country, double u) => country switch
    {
        "SG" => u switch
        {
            < 0.45 => NameStyle.ChineseRomanized,
            < 0.65 => NameStyle.ChineseCharacters,
            < 0.75 => NameStyle.Malay,
            < 0.85 => NameStyle.Indian,
            < 0.95 => NameStyle.Western,
            _ => NameStyle.Spanish,
        },
        "MY" => u switch
        {
            < 0.35 => NameStyle.ChineseRomanized,
            < 0.50 => NameStyle.ChineseCharacters,
            < 0.90 => NameStyle.Malay,
            _ => NameStyle.Indian,
        },
        _ => u switch
        {
            < 0.55 => NameStyle.Western,
            < 0.80 => NameStyle.Spanish,
            < 0.92 => NameStyle.ChineseRomanized,
            _ => NameStyle.ChineseCharacters,
        },
    };

    private static (string Name, string First, string Last) Name(NameStyle style, ref Draws draws)
    {
        switch (style)
        {
            case NameStyle.ChineseCharacters:
            {
                var surname = Pick(NameTables.HanziSurnames, ref draws);
                var given = Pick(NameTables.HanziGiven, ref draws);
                return (surname.Text + given.Text, given.Ascii, surname.Ascii);
            }
            case NameStyle.ChineseRomanized:
            {
                var given = draws.Chance(0.3) ? Pick(NameTables.WesternFirst, ref draws) : Pick(NameTables.RomanizedGiven, ref draws);
                var surname = Pick(NameTables.RomanizedSurnames, ref draws);
                return ($"{given.Text} {surname.Text}", given.Ascii, surname.Ascii);
            }
            default:
            {
                var (firsts, lasts) = style switch
                {
                    NameStyle.Malay => (NameTables.MalayFirst, NameTables.MalayLast),
                    NameStyle.Indian => (NameTables.IndianFirst, NameTables.IndianLast),
                    NameStyle.Spanish => (NameTables.SpanishFirst, NameTables.SpanishLast),
                    _ => (NameTables.WesternFirst, NameTables.WesternLast),
                };
                var first = Pick(firsts, ref draws);
                var last = Pick(lasts, ref draws);
                return ($"{first.Text} {last.Text}", first.Ascii, last.Ascii);
            }
        }
    }

    private static string Email(string first, string last, int index, string country, ref Draws draws)
    {
        var local = draws.Below(4) switch
        {
            0 => $"{first}.{last}{index}",
            1 => $"{first}{last}{index}",
            2 => $"{first[0]}{last}{index}",
            _ => $"{last}.{first}{index}",
        };
        var domains = country switch
        {
            "SG" => SingaporeDomains,
            "MY" => MalaysiaDomains,
            _ => UnitedStatesDomains,
        };
        return $"{local}@{Pick(domains, ref draws)}";
    }

    private static T Pick<T>(ImmutableArray<T> items, ref Draws draws) => items[draws.Below(items.Length)];
}
