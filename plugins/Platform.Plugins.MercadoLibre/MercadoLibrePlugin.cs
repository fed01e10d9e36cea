using Platform.Abstractions;

namespace Platform.Plugins.MercadoLibre;

/// <summary>Mercado Libre: orders, anonymous product reviews and listing questions of one seller account.</summary>
public sealed class MercadoLibrePlugin : IConnectorPlugin
{
    /// <summary>The content of the embedded <c>plugin.json</c>.</summary>
    public PluginManifest Manifest { get; } = PluginManifest.FromEmbeddedResource(typeof(MercadoLibrePlugin).Assembly, "Platform.Plugins.MercadoLibre.plugin.json");

    /// <summary>Creates the connector of one seller account.</summary>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new MercadoLibreConnector(context, MercadoLibreSettings.From(context.Settings));
    }
}
