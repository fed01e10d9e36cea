using System.Globalization;

namespace Platform.Plugins.CsvImport;

/// <summary>A row read into order fields.</summary>
internal sealed record ParsedRow(string File, long Line, string OrderId, string BuyerId, string? Email, string? Phone, string? Name,
    DateTimeOffset Date, decimal Total, string Currency, string? Sku, int Quantity, IReadOnlyDictionary<string, string> Fields);

/// <summary>Why a row was skipped: the column (1-based), the field it maps to, and what is wrong.</summary>
internal sealed record RowProblem(int Column, string Field, string Message);

internal readonly record struct RowResult(ParsedRow? Row, RowProblem? Problem);

/// <summary>Turns a row into order fields by the column map, or says which column is wrong and why.</summary>
internal static class RowParser
{
    public static RowResult Parse(CsvRow row, IReadOnlyDictionary<string, int> map, CsvSettings settings, string file)
    {
        RowResult Bad(string field, string message) => new(null, new RowProblem(map.TryGetValue(field, out var column) ? column + 1 : 0, field, message));
        string? Get(string field) =>
            map.TryGetValue(field, out var i) && i < row.Fields.Length && row.Fields[i].Trim() is { Length: > 0 } v ? v : null;

        foreach (var required in new[] { Field.BuyerId, Field.Date, Field.Total })
            if (Get(required) is null) return Bad(required, "is empty");
        var buyer = Get(Field.BuyerId)!;
        if (buyer.Length > 200) return Bad(Field.BuyerId, $"is {buyer.Length} characters long; buyer ids are at most 200");
        if (ParseDate(Get(Field.Date)!, settings.DateFormat) is not { } date)
            return Bad(Field.Date, $"'{Get(Field.Date)}' is not a date in the format {settings.DateFormat}");
        if (!decimal.TryParse(Get(Field.Total), NumberStyles.Number, CultureInfo.InvariantCulture, out var total))
            return Bad(Field.Total, $"'{Get(Field.Total)}' is not a number (use . for decimals)");
        if (total < 0) return Bad(Field.Total, $"{total} is negative");
        var currency = Get(Field.Currency)?.ToUpperInvariant() ?? settings.Currency;
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)) return Bad(Field.Currency, $"'{currency}' is not an ISO 4217 code such as USD");
        var quantity = 1;
        if (Get(Field.Quantity) is { } q && (!int.TryParse(q, NumberStyles.Integer, CultureInfo.InvariantCulture, out quantity) || quantity < 0))
            return Bad(Field.Quantity, $"'{q}' is not a whole number ≥ 0");
        var id = Get(Field.OrderId) ?? $"{file}:{row.Line}";
        var fields = map.Keys.Where(f => Get(f) is not null).ToDictionary(f => f, f => Get(f)!, StringComparer.Ordinal);
        return new RowResult(new ParsedRow(file, row.Line, id, buyer, Get(Field.Email), Get(Field.Phone), Get(Field.Name), date, total, currency,
            Get(Field.Sku), quantity, fields), null);
    }

    /// <summary>A day in the given format (UTC midnight), or an ISO 8601 date-time.</summary>
    public static DateTimeOffset? ParseDate(string value, string format)
    {
        if (DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact))
            return new DateTimeOffset(exact, TimeSpan.Zero);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso) && value.Contains('T'))
            return iso.ToUniversalTime();
        return null;
    }
}
