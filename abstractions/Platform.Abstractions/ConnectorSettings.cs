using System.Globalization;
using System.Text.Json;

namespace Platform.Abstractions;

/// <summary>A store's settings (a JSON object), with typed accessors.</summary>
public sealed class ConnectorSettings
{
    private readonly JsonElement _root;

    /// <summary>Wraps a JSON object.</summary>
    public ConnectorSettings(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("Store settings must be a JSON object.", nameof(root));
        _root = root.Clone();
    }

    /// <summary>Parses a JSON object.</summary>
    public static ConnectorSettings Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return new ConnectorSettings(doc.RootElement);
    }

    /// <summary>The settings as a JSON object.</summary>
    public JsonElement Json => _root;

    /// <summary>A string setting, or <paramref name="fallback"/> when absent or null.</summary>
    public string? GetString(string name, string? fallback = null) =>
        _root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
            : fallback;

    /// <summary>A required string setting; throws naming the setting when absent.</summary>
    public string GetRequiredString(string name) =>
        GetString(name) is { Length: > 0 } s ? s : throw new InvalidOperationException($"The store setting '{name}' is required.");

    /// <summary>An integer setting, or <paramref name="fallback"/>.</summary>
    public long GetInt64(string name, long fallback) =>
        _root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt64(),
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => fallback,
        } : fallback;

    /// <summary>A number setting, or <paramref name="fallback"/>.</summary>
    public double GetDouble(string name, double fallback) =>
        _root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
            _ => fallback,
        } : fallback;

    /// <summary>A boolean setting, or <paramref name="fallback"/>.</summary>
    public bool GetBoolean(string name, bool fallback) =>
        _root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => fallback,
        } : fallback;
}
