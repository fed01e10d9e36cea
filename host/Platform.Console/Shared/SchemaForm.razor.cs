using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Console.Shared;

/// <summary>What input a setting gets, from its JSON Schema.</summary>
public enum SchemaFieldKind { Text, Date, Secret, Choice, Switch, Integer, Number, Group, Json }

/// <summary>
/// One setting of a plugin's settings schema with the value being edited. Built from the schema and the stored settings
/// (secrets come back as "***": only whether they are set is kept, never a value); turned back into the settings object
/// the API takes with <see cref="ToJson"/>.
/// </summary>
public sealed class SchemaField
{
    public required string Name { get; init; }

    /// <summary>Dotted path below <c>settings</c>, e.g. <c>columns.buyerId</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The key the API's validation errors use for this field, e.g. <c>settings.columns.buyerId</c>.</summary>
    public string Key => "settings." + Path;

    public required SchemaFieldKind Kind { get; init; }
    public required string Label { get; init; }
    public string? Description { get; init; }
    public bool Required { get; init; }
    public double? Minimum { get; init; }
    public double? Maximum { get; init; }
    public bool ExclusiveMinimum { get; init; }
    public IReadOnlyList<JsonElement> Choices { get; init; } = [];
    public List<SchemaField> Children { get; } = [];

    public string? Text { get; set; }
    public bool Bool { get; set; }
    public long? Integer { get; set; }
    public double? Number { get; set; }

    /// <summary>The chosen enum value as raw JSON (enum values need not be strings).</summary>
    public string? Choice { get; set; }

    /// <summary>A secret that the store has a value for (shown as set; sent back as "***" unless replaced).</summary>
    public bool SecretSet { get; set; }

    /// <summary>The fields of an object schema, filled from <paramref name="values"/> or else the schema's defaults.</summary>
    public static List<SchemaField> FromSchema(JsonElement? schema, JsonElement? values, string prefix = "")
    {
        var fields = new List<SchemaField>();
        if (schema.P("properties") is not { ValueKind: JsonValueKind.Object } properties) return fields;
        var required = schema.P("required").A().Select(r => r.S()).ToHashSet(StringComparer.Ordinal);
        foreach (var property in properties.EnumerateObject())
        {
            var s = property.Value;
            var kind = KindOf(s);
            var field = new SchemaField
            {
                Name = property.Name,
                Path = prefix + property.Name,
                Kind = kind,
                Label = s.P("title").S() is { Length: > 0 } title ? title : property.Name,
                Description = s.P("description").S() is { Length: > 0 } d ? d : null,
                Required = required.Contains(property.Name),
                Minimum = s.P("minimum").D() ?? s.P("exclusiveMinimum").D(),
                ExclusiveMinimum = s.P("minimum") is null && s.P("exclusiveMinimum").D() is not null,
                Maximum = s.P("maximum").D(),
                Choices = s.P("enum").A().ToList(),
            };
            var value = values.P(property.Name);
            if (kind == SchemaFieldKind.Group)
                field.Children.AddRange(FromSchema(s, value, field.Path + "."));
            else
                field.Fill(value, s.P("default"));
            fields.Add(field);
        }
        return fields;
    }

    private static SchemaFieldKind KindOf(JsonElement s)
    {
        if (s.P("x-secret").B()) return SchemaFieldKind.Secret;
        if (s.P("enum") is { ValueKind: JsonValueKind.Array }) return SchemaFieldKind.Choice;
        var type = s.P("type") is { ValueKind: JsonValueKind.Array } types
            ? types.EnumerateArray().Select(t => t.S()).FirstOrDefault(t => t != "null")
            : s.P("type").S();
        return type switch
        {
            "string" when s.P("format").S() == "date" => SchemaFieldKind.Date,
            "string" => SchemaFieldKind.Text,
            "boolean" => SchemaFieldKind.Switch,
            "integer" => SchemaFieldKind.Integer,
            "number" => SchemaFieldKind.Number,
            "object" when s.P("properties") is not null => SchemaFieldKind.Group,
            _ => SchemaFieldKind.Json,
        };
    }

    private void Fill(JsonElement? stored, JsonElement? fallback)
    {
        if (Kind == SchemaFieldKind.Secret)
        {
            // Never a value: the API masks secrets, and the field stays empty unless a new one is typed.
            SecretSet = stored is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 };
            return;
        }
        var v = stored ?? fallback;
        if (v is not { } value) return;
        switch (Kind)
        {
            case SchemaFieldKind.Switch: Bool = value.ValueKind == JsonValueKind.True; break;
            case SchemaFieldKind.Integer: Integer = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l) ? l : null; break;
            case SchemaFieldKind.Number: Number = value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null; break;
            case SchemaFieldKind.Choice: Choice = value.GetRawText(); break;
            case SchemaFieldKind.Json: Text = value.GetRawText(); break;
            default: Text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(); break;
        }
    }

    /// <summary>The settings object to send: empty fields left out (the plugin's defaults apply), a set secret kept as "***".</summary>
    public static JsonObject ToJson(IEnumerable<SchemaField> fields)
    {
        var o = new JsonObject();
        foreach (var f in fields)
            if (f.ToNode() is { } node) o[f.Name] = node;
        return o;
    }

    private JsonNode? ToNode()
    {
        switch (Kind)
        {
            case SchemaFieldKind.Group:
                var child = ToJson(Children);
                return child.Count > 0 || Required ? child : null;
            case SchemaFieldKind.Secret:
                return !string.IsNullOrEmpty(Text) ? JsonValue.Create(Text) : SecretSet ? JsonValue.Create("***") : null;
            case SchemaFieldKind.Switch:
                return JsonValue.Create(Bool);
            case SchemaFieldKind.Integer:
                return Integer is { } i ? JsonValue.Create(i) : null;
            case SchemaFieldKind.Number:
                return Number is { } n ? JsonValue.Create(n) : null;
            case SchemaFieldKind.Choice:
                return Choice is null ? null : JsonNode.Parse(Choice);
            case SchemaFieldKind.Json:
                if (string.IsNullOrWhiteSpace(Text)) return null;
                try { return JsonNode.Parse(Text); }
                catch (JsonException) { return JsonValue.Create(Text); }
            default:
                return string.IsNullOrWhiteSpace(Text) ? null : JsonValue.Create(Text);
        }
    }

    /// <summary>Every field and group key, nested ones included (to tell which API errors have a field to sit by).</summary>
    public static IEnumerable<string> Keys(IEnumerable<SchemaField> fields) =>
        fields.SelectMany(f => Keys(f.Children).Prepend(f.Key));

    internal static string Format(double d) => d.ToString("0.##########", CultureInfo.CurrentCulture);
}
