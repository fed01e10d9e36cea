using Platform.Abstractions;

namespace Platform.Plugins.WooCommerce;

/// <summary>WooCommerce shops through the REST API v3: orders and product reviews.</summary>
public sealed class WooCommercePlugin : IConnectorPlugin
{
    /// <summary>The content of the embedded <c>plugin.json</c>.</summary>
    public PluginManifest Manifest { get; } = PluginManifest.FromEmbeddedResource(typeof(WooCommercePlugin).Assembly, "Platform.Plugins.WooCommerce.plugin.json");

    /// <summary>Creates the connector of one shop.</summary>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new WooCommerceConnector(context, WooCommerceSettings.From(context.Settings));
    }
}
