using Platform.Abstractions;

namespace Platform.Plugins.Example;

/// <summary>Example Marketplace stores.</summary>
public sealed class XmplPlugin : IConnectorPlugin
{
    /// <summary>The content of the embedded <c>plugin.json</c>.</summary>
    public PluginManifest Manifest { get; } = PluginManifest.FromEmbeddedResource(typeof(XmplPlugin).Assembly, "Platform.Plugins.Example.plugin.json");

    /// <summary>Creates the connector of one store.</summary>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new XmplConnector(context, XmplSettings.From(context.Settings));
    }
}
