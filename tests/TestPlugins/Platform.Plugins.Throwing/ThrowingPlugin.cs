using Platform.Abstractions;

namespace Platform.Plugins.Throwing;

/// <summary>Fails in its constructor, as a plugin with a bad static configuration would.</summary>
public sealed class ThrowingPlugin : IConnectorPlugin
{
    public ThrowingPlugin() => throw new InvalidOperationException("the plugin's configuration file is missing");

    public PluginManifest Manifest => throw new NotSupportedException();

    public IConnector Create(ConnectorContext context) => throw new NotSupportedException();
}
