using Platform.Abstractions;

namespace Platform.Plugins.Shopee;

/// <summary>Shopee shops through Shopee Open Platform API v2: orders, product comments and seller chat.</summary>
public sealed class ShopeePlugin : IConnectorPlugin
{
    /// <summary>The content of the embedded <c>plugin.json</c>.</summary>
    public PluginManifest Manifest { get; } = PluginManifest.FromEmbeddedResource(typeof(ShopeePlugin).Assembly, "Platform.Plugins.Shopee.plugin.json");

    /// <summary>Creates the connector of one shop.</summary>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ShopeeConnector(context, ShopeeSettings.From(context.Settings));
    }
}
