using System.Text.Json;
using Platform.Abstractions;

namespace Platform.Plugins.CsvImport;

/// <summary>Reads the manifest from the embedded copy of <c>plugin.json</c>, the file shipped next to the assembly.</summary>
internal static class ManifestResource
{
    private const string ResourceName = "Platform.Plugins.CsvImport.plugin.json";

    public static PluginManifest Load()
    {
        using var stream = typeof(ManifestResource).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize<PluginManifest>(stream)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is empty.");
    }
}
