using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Abstractions;

/// <summary>
/// What a plugin is: the content of its <c>plugin.json</c>. The host reads the file before loading the
/// assembly, refuses a <see cref="Contract"/> it does not speak, and validates store settings against
/// <see cref="Settings"/> (a JSON Schema whose secret properties carry <c>"x-secret": true</c>).
/// </summary>
public sealed record PluginManifest
{
    /// <summary>Stable id used in store configuration, lower case (<c>shopee</c>, <c>sandbox</c>).</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>Display name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>The plugin's own version (semantic versioning).</summary>
    [JsonPropertyName("version")] public required string Version { get; init; }
    /// <summary>The contract version the plugin was built for; see <see cref="ContractVersion"/>.</summary>
    [JsonPropertyName("contract")] public required int Contract { get; init; }
    /// <summary>File name of the plugin assembly, next to <c>plugin.json</c>.</summary>
    [JsonPropertyName("assembly")] public required string Assembly { get; init; }
    /// <summary>The streams the plugin can read (<c>orders</c>, <c>reviews</c>, <c>chats</c>).</summary>
    [JsonPropertyName("streams")] public required IReadOnlyList<string> Streams { get; init; }
    /// <summary>JSON Schema of a store's settings.</summary>
    [JsonPropertyName("settings")] public required JsonElement Settings { get; init; }
    /// <summary>Optional notes for the merchant, for example a stream the marketplace does not offer.</summary>
    [JsonPropertyName("notes")] public string? Notes { get; init; }
    /// <summary>
    /// Optional: the marketplace's call limit per store. The host queues a store's calls so they stay under it
    /// (for example <c>{ "requests": 10, "perSeconds": 1 }</c>).
    /// </summary>
    [JsonPropertyName("rateLimit")] public PluginRateLimit? RateLimit { get; init; }

    /// <summary>
    /// Reads a manifest a plugin embeds in its assembly (the same <c>plugin.json</c> it ships next to it), for
    /// <see cref="IConnectorPlugin.Manifest"/>. Throws naming the resource when it is missing or empty.
    /// </summary>
    public static PluginManifest FromEmbeddedResource(System.Reflection.Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The embedded resource {resourceName} is missing from {assembly.GetName().Name}.");
        return JsonSerializer.Deserialize<PluginManifest>(stream)
            ?? throw new InvalidOperationException($"The embedded resource {resourceName} is empty.");
    }
}

/// <summary>A call limit: <paramref name="Requests"/> calls per <paramref name="PerSeconds"/> seconds.</summary>
public sealed record PluginRateLimit(
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("perSeconds")] double PerSeconds);

/// <summary>The contract version this assembly defines.</summary>
public static class ContractVersion
{
    /// <summary>The version a plugin's manifest must name in <c>contract</c>.</summary>
    public const int Current = 1;
}
