using System.Globalization;
using System.Text.Json;

namespace Platform.Console.Shared;

/// <summary>Reading API answers in markup: absent or null values read as null, never throw.</summary>
public static class J
{
    public static JsonElement? P(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;

    public static JsonElement? P(this JsonElement? e, string name) => e is { } x ? x.P(name) : null;

    public static string S(this JsonElement? e) => e is { } x ? x.ValueKind == JsonValueKind.String ? x.GetString() ?? "" : x.ToString() : "";

    public static string S(this JsonElement e, string name) => e.P(name).S();

    public static string S(this JsonElement e) => ((JsonElement?)e).S();

    public static double? D(this JsonElement? e) => e is { ValueKind: JsonValueKind.Number } x ? x.GetDouble() : null;

    public static int I(this JsonElement? e) => e is { ValueKind: JsonValueKind.Number } x ? x.GetInt32() : 0;

    public static bool B(this JsonElement? e) => e is { ValueKind: JsonValueKind.True };

    public static IEnumerable<JsonElement> A(this JsonElement? e) => e is { ValueKind: JsonValueKind.Array } x ? x.EnumerateArray() : [];

    public static DateTimeOffset? T(this JsonElement? e) =>
        e is { ValueKind: JsonValueKind.String } x && DateTimeOffset.TryParse(x.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    /// <summary>A time for people: local date and time, or "—".</summary>
    public static string When(this JsonElement? e) => e.T() is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.CurrentCulture) : "—";

    public static string Money(this JsonElement? e, string? currency = null) =>
        e.D() is { } d ? d.ToString("N2", CultureInfo.CurrentCulture) + (currency is null ? "" : " " + currency) : "—";
}
