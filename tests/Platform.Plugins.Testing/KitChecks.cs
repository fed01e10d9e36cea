using System.Text.Json;
using Platform.Abstractions;
using Xunit;

namespace Platform.Plugins.Testing;

/// <summary>Checks shared by the conformance classes.</summary>
public static class KitChecks
{
    /// <summary>The <c>plugin.json</c> shipped next to the assembly says what the plugin's <c>Manifest</c> says.</summary>
    public static void ShippedManifestMatches(IConnectorPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var file = Path.Combine(Path.GetDirectoryName(plugin.GetType().Assembly.Location)!, "plugin.json");
        Assert.True(File.Exists(file), $"{file} is missing: ship plugin.json next to the assembly (CopyToOutputDirectory)");
        var shipped = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(file))!;
        Assert.Equal(plugin.Manifest.Id, shipped.Id);
        Assert.Equal(plugin.Manifest.Version, shipped.Version);
        Assert.Equal(plugin.Manifest.Streams, shipped.Streams);
        Assert.Equal(Path.GetFileName(plugin.GetType().Assembly.Location), shipped.Assembly);
        Assert.Equal(ContractVersion.Current, plugin.Manifest.Contract);
    }

    /// <summary>The record type a stream's pages must hold.</summary>
    public static Type RecordTypeOf(StreamName stream) => stream.ToWire() switch
    {
        "orders" => typeof(OrderRecord),
        "reviews" => typeof(ReviewRecord),
        _ => typeof(ChatMessage),
    };
}
