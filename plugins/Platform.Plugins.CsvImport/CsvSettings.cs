using System.Text.Json;
using Platform.Abstractions;

namespace Platform.Plugins.CsvImport;

/// <summary>The fields a row can hold.</summary>
internal static class Field
{
    public const string OrderId = "orderId", BuyerId = "buyerId", Email = "email", Phone = "phone", Name = "name", Date = "date",
        Total = "total", Currency = "currency", Sku = "sku", Quantity = "quantity";
}

/// <summary>A store's CSV settings (validated against plugin.json by the host before they get here).</summary>
internal sealed record CsvSettings(string Path, string Delimiter, bool HasHeader, IReadOnlyDictionary<string, string> Columns, string DateFormat, string Currency)
{
    public bool Whitespace => Delimiter == "whitespace";

    public static CsvSettings From(ConnectorSettings settings)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.Json.TryGetProperty("columns", out var c) && c.ValueKind == JsonValueKind.Object)
            foreach (var p in c.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: > 0 } v) columns[p.Name] = v;
        return new CsvSettings(settings.GetRequiredString("path"), settings.GetString("delimiter", ",")!, settings.GetBoolean("hasHeader", true), columns,
            settings.GetString("dateFormat", "yyyy-MM-dd")!, settings.GetString("currency", "USD")!.ToUpperInvariant());
    }
}
