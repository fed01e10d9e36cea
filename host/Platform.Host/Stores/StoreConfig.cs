using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Host.Infrastructure;
using Platform.Host.Plugins;
using Platform.Host.Storage;

namespace Platform.Host.Stores;

/// <summary>A store's configuration as the API accepts it.</summary>
public sealed record StoreRequest(
    string? Plugin,
    string? DisplayName,
    JsonElement? Settings,
    Dictionary<string, string?>? Schedules,
    DateTimeOffset? Since,
    bool? Enabled,
    Platform.Host.Service.BusinessHoursSettings? BusinessHours = null);

/// <summary>A store's configuration, secrets masked.</summary>
public sealed record StoreView(
    string Id,
    string Plugin,
    string DisplayName,
    JsonElement Settings,
    IReadOnlyDictionary<string, string> Schedules,
    DateTimeOffset Since,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Platform.Host.Service.BusinessHoursSettings? BusinessHours,
    IReadOnlyDictionary<string, DateTimeOffset> NextRuns);

/// <summary>Validation, masking and encryption of store configuration.</summary>
public sealed class StoreConfig(PluginCatalog catalog, SecretProtector secrets, TimeProvider clock)
{
    public const string Mask = "***";

    /// <summary>Validates a PUT and builds the row to save; errors are keyed by field name.</summary>
    public (StoreRow? Row, Dictionary<string, string[]> Errors) Build(string merchantId, string storeId, StoreRequest request, StoreRow? existing)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Ids.IsValid(storeId))
            errors["store"] = [$"'{storeId}' is not a valid store id: use 1–64 letters, digits, '-' or '_'"];
        LoadedPlugin? plugin = null;
        if (string.IsNullOrWhiteSpace(request.Plugin))
            errors["plugin"] = ["is required: the id of a loaded plugin (GET /api/v1/plugins)"];
        else if ((plugin = catalog.Find(request.Plugin)) is null)
            errors["plugin"] = [$"'{request.Plugin}' is not a loaded plugin: use one of {string.Join(", ", catalog.Plugins.Select(p => p.Manifest.Id))}"];

        var schedules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, cron) in request.Schedules ?? [])
        {
            if (!StreamNames.TryParse(name, out var stream))
                errors[$"schedules.{name}"] = ["is not a stream: use orders, reviews or chats"];
            else if (plugin is not null && !plugin.Supports(stream))
                errors[$"schedules.{name}"] = [$"plugin '{plugin.Manifest.Id}' does not read {name}"];
            else if (string.IsNullOrWhiteSpace(cron))
                continue;
            else if (!Quartz.CronExpression.TryParse(cron, out _))
                errors[$"schedules.{name}"] = [$"'{cron}' is not a valid Quartz cron expression (seconds first, e.g. '0 */15 * * * ?')"];
            else
                schedules[stream.ToWire()] = cron;
        }

        var businessHours = existing?.BusinessHoursJson;
        if (request.BusinessHours is { } hours)
        {
            var (_, problems) = hours.ToCalendar();
            foreach (var (field, message) in problems) errors[$"businessHours.{field}"] = [message];
            businessHours = Platform.Host.Service.ServiceSettings.Serialize(hours);
        }

        JsonObject? settings = null;
        if (plugin is not null)
        {
            settings = MergeSecrets(plugin, request.Settings, existing);
            foreach (var (field, messages) in SettingsValidator.Validate(plugin, JsonSerializer.SerializeToElement(settings)))
                errors[field] = messages;
        }
        if (errors.Count > 0 || plugin is null || settings is null) return (null, errors);

        foreach (var secret in plugin.SecretSettings)
            if (settings[secret] is JsonValue v && v.TryGetValue<string>(out var plain))
                settings[secret] = secrets.Protect(plain);

        var now = clock.GetUtcNow();
        return (new StoreRow
        {
            MerchantId = merchantId,
            StoreId = storeId,
            Plugin = plugin.Manifest.Id,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? storeId : request.DisplayName.Trim(),
            SettingsJson = settings.ToJsonString(),
            SchedulesJson = JsonSerializer.Serialize(schedules),
            Since = request.Since ?? existing?.Since ?? now.AddDays(-90),
            Enabled = request.Enabled ?? existing?.Enabled ?? true,
            BusinessHoursJson = businessHours,
            ServiceVersion = existing?.ServiceVersion ?? Platform.Host.Service.ServiceBackfill.Current,
            CreatedAt = existing?.CreatedAt ?? now,
            UpdatedAt = now,
        }, errors);
    }

    /// <summary>A secret sent back as "***" (or left out) keeps its stored value.</summary>
    private JsonObject MergeSecrets(LoadedPlugin plugin, JsonElement? requested, StoreRow? existing)
    {
        var settings = requested is { ValueKind: JsonValueKind.Object } r ? JsonNode.Parse(r.GetRawText())!.AsObject() : [];
        var stored = existing is not null && existing.Plugin == plugin.Manifest.Id ? JsonNode.Parse(existing.SettingsJson)!.AsObject() : null;
        foreach (var secret in plugin.SecretSettings)
        {
            var sent = settings[secret] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if ((sent is null && !settings.ContainsKey(secret)) || sent == Mask)
            {
                if (stored?[secret] is JsonValue old && old.TryGetValue<string>(out var oldValue))
                    settings[secret] = secrets.Unprotect(oldValue);
                else
                    settings.Remove(secret);
            }
        }
        return settings;
    }

    public StoreView View(StoreRow row)
    {
        var plugin = catalog.Find(row.Plugin);
        var settings = JsonNode.Parse(row.SettingsJson)!.AsObject();
        foreach (var (name, value) in settings.ToList())
            if (value is JsonValue v && v.TryGetValue<string>(out var s) && (SecretProtector.IsProtected(s) || plugin?.SecretSettings.Contains(name) == true))
                settings[name] = Mask;
        return new StoreView(row.StoreId, row.Plugin, row.DisplayName, JsonSerializer.SerializeToElement(settings),
            Schedules(row), row.Since, row.Enabled, row.CreatedAt, row.UpdatedAt, Platform.Host.Service.ServiceSettings.Deserialize(row.BusinessHoursJson),
            NextRuns(row, clock.GetUtcNow()));
    }

    /// <summary>The settings with secrets decrypted, for the connector only.</summary>
    public ConnectorSettings Decrypted(StoreRow row)
    {
        var settings = JsonNode.Parse(row.SettingsJson)!.AsObject();
        foreach (var (name, value) in settings.ToList())
            if (value is JsonValue v && v.TryGetValue<string>(out var s) && SecretProtector.IsProtected(s))
                settings[name] = secrets.Unprotect(s);
        return new ConnectorSettings(JsonSerializer.SerializeToElement(settings));
    }

    /// <summary>When each scheduled stream runs next (UTC schedules; none while the store is disabled).</summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> NextRuns(StoreRow row, DateTimeOffset now)
    {
        var next = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (!row.Enabled) return next;
        foreach (var (stream, cron) in Schedules(row))
            if (Quartz.CronExpression.TryParse(cron, out _) && new Quartz.CronExpression(cron).GetNextValidTimeAfter(now) is { } at)
                next[stream] = at;
        return next;
    }

    public static IReadOnlyDictionary<string, string> Schedules(StoreRow row) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.SchedulesJson) ?? [];
}
