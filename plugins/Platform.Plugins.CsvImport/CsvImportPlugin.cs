using Platform.Abstractions;

namespace Platform.Plugins.CsvImport;

/// <summary>Order history from CSV files: marketplace exports loaded through the normal sync path.</summary>
public sealed class CsvImportPlugin : IConnectorPlugin
{
    /// <summary>The content of the embedded <c>plugin.json</c>.</summary>
    public PluginManifest Manifest { get; } = PluginManifest.FromEmbeddedResource(typeof(CsvImportPlugin).Assembly, "Platform.Plugins.CsvImport.plugin.json");

    /// <summary>Creates the connector of one store (one file or folder).</summary>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CsvConnector(context, CsvSettings.From(context.Settings));
    }
}
