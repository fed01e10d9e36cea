using System.Globalization;
using Platform.Abstractions;

namespace Platform.Plugins.Sandbox;

/// <summary>A sandbox store's settings with their defaults (see the schema in plugin.json).</summary>
internal sealed record SandboxSettings
{
    public long Population { get; init; } = 1;
    public int People { get; init; } = 300;
    public double OrdersPerDay { get; init; } = 12;
    public string Currency { get; init; } = "USD";
    public string Country { get; init; } = "SG";
    public int PageSize { get; init; } = 100;
    public string? ApiToken { get; init; }
    /// <summary>0 when no page fails.</summary>
    public int FailAtPage { get; init; }
    public int PageDelayMs { get; init; }
    /// <summary>The first UTC day without new orders (days since 1970-01-01), or null for a store that never closes.</summary>
    public long? ClosedDay { get; init; }
    /// <summary>The store hides contacts behind relays: emails at relay.sandbox.test, phones masked but the last 4 digits.</summary>
    public bool RelayContacts { get; init; }
    /// <summary>0: shoppers never stop buying; otherwise each stops on a day spread over the this many days before <see cref="ClosedDay"/>.</summary>
    public int ChurnDays { get; init; }

    public bool TokenRejected => ApiToken == "invalid";

    public static SandboxSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = Read(settings);
        if (result.ChurnDays > 0 && result.ClosedDay is null)
            throw new ArgumentException("The sandbox setting 'churnDays' needs 'closedOn': shoppers stop buying in the days before the store closes.", nameof(settings));
        return result;
    }

    private static SandboxSettings Read(ConnectorSettings settings)
    {
        return new SandboxSettings
        {
            Population = Range(settings, "population", 1, 0, long.MaxValue),
            People = (int)Range(settings, "people", 300, 1, 1_000_000),
            OrdersPerDay = Rate(settings),
            Currency = Code(settings, "currency", "USD", 3),
            Country = Code(settings, "country", "SG", 2),
            PageSize = (int)Range(settings, "pageSize", 100, 1, 1000),
            ApiToken = settings.GetString("apiToken"),
            FailAtPage = (int)Range(settings, "failAtPage", 0, 0, int.MaxValue),
            PageDelayMs = (int)Range(settings, "pageDelayMs", 0, 0, 60_000),
            ClosedDay = ClosedOn(settings),
            ChurnDays = (int)Range(settings, "churnDays", 0, 0, 3650),
            RelayContacts = settings.GetString("contacts", "real") switch
            {
                "real" => false,
                "relay" => true,
                var other => throw new ArgumentException($"The sandbox setting 'contacts' must be 'real' or 'relay'; it is '{other}'.", nameof(settings)),
            },
        };
    }

    private static long Range(ConnectorSettings settings, string name, long fallback, long min, long max)
    {
        var value = settings.GetInt64(name, fallback);
        return value >= min && value <= max
            ? value
            : throw new ArgumentException($"The sandbox setting '{name}' must be between {min} and {max}; it is {value}.", nameof(settings));
    }

    private static double Rate(ConnectorSettings settings)
    {
        var value = settings.GetDouble("ordersPerDay", 12);
        return value > 0 && value <= 100_000
            ? value
            : throw new ArgumentException(
                $"The sandbox setting 'ordersPerDay' must be more than 0 and at most 100000; it is {value.ToString(CultureInfo.InvariantCulture)}.",
                nameof(settings));
    }

    private static long? ClosedOn(ConnectorSettings settings)
    {
        var value = settings.GetString("closedOn");
        if (value is null) return null;
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber
            : throw new ArgumentException($"The sandbox setting 'closedOn' must be a date like 2026-01-31; it is '{value}'.", nameof(settings));
    }

    private static string Code(ConnectorSettings settings, string name, string fallback, int length)
    {
        var value = settings.GetString(name, fallback) ?? fallback;
        return value.Length == length && value.All(char.IsAsciiLetterUpper)
            ? value
            : throw new ArgumentException($"The sandbox setting '{name}' must be {length} upper-case letters; it is '{value}'.", nameof(settings));
    }
}
