namespace Platform.Abstractions;

/// <summary>
/// The entry point of a connector plugin assembly. The host finds exactly one public, non-abstract
/// implementation with a parameterless constructor in the assembly named by <c>plugin.json</c>.
/// </summary>
public interface IConnectorPlugin
{
    /// <summary>What the plugin is and which settings a store needs. Must agree with <c>plugin.json</c>.</summary>
    PluginManifest Manifest { get; }

    /// <summary>Creates the connector of one configured store. Called once per store and run.</summary>
    IConnector Create(ConnectorContext context);
}
