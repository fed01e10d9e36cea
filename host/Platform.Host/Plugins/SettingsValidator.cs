using System.Text.Json;
using NJsonSchema.Validation;

namespace Platform.Host.Plugins;

/// <summary>Validates store settings against a plugin's schema and names every failing field.</summary>
public static class SettingsValidator
{
    public static IReadOnlyDictionary<string, string[]> Validate(LoadedPlugin plugin, JsonElement settings)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (settings.ValueKind != JsonValueKind.Object)
            return new Dictionary<string, string[]> { ["settings"] = ["must be a JSON object"] };
        foreach (var error in plugin.Schema.Validate(settings.GetRawText()))
            Collect(error, errors);
        return errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray());
    }

    private static void Collect(ValidationError error, Dictionary<string, List<string>> into)
    {
        if (error is ChildSchemaValidationError child)
            foreach (var nested in child.Errors.SelectMany(e => e.Value))
                Collect(nested, into);
        var field = "settings" + (string.IsNullOrEmpty(error.Path) ? "" : "." + error.Path.TrimStart('#', '/').Replace('/', '.'));
        if (error.Kind == ValidationErrorKind.PropertyRequired && error.Property is { } missing)
            field = field.EndsWith("." + missing, StringComparison.Ordinal) ? field : $"{field}.{missing}";
        if (error.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed && error.Property is { } extra && !field.EndsWith("." + extra, StringComparison.Ordinal))
            field = $"{field}.{extra}";
        if (!into.TryGetValue(field, out var list)) into[field] = list = [];
        list.Add(Describe(error));
    }

    private static string Describe(ValidationError e) => e.Kind switch
    {
        ValidationErrorKind.PropertyRequired => "is required",
        ValidationErrorKind.NoAdditionalPropertiesAllowed => "is not a setting of this plugin",
        ValidationErrorKind.StringExpected => "must be a string",
        ValidationErrorKind.IntegerExpected => "must be an integer",
        ValidationErrorKind.NumberExpected => "must be a number",
        ValidationErrorKind.BooleanExpected => "must be true or false",
        ValidationErrorKind.NumberTooSmall => $"is below the minimum {e.Schema?.Minimum}",
        ValidationErrorKind.NumberTooBig => $"is above the maximum {e.Schema?.Maximum}",
        ValidationErrorKind.PatternMismatch => $"does not match the pattern {e.Schema?.Pattern}",
        ValidationErrorKind.StringTooShort => $"is shorter than {e.Schema?.MinLength} characters",
        ValidationErrorKind.StringTooLong => $"is longer than {e.Schema?.MaxLength} characters",
        ValidationErrorKind.NotInEnumeration => "is not one of the allowed values",
        _ => $"is invalid ({e.Kind})",
    };
}
