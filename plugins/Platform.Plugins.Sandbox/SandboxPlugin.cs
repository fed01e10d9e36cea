using Platform.Abstractions;

namespace Platform.Plugins.Sandbox;

/// <summary>The sandbox marketplace: synthetic, deterministic stores that need no network.</summary>
public sealed class SandboxPlugin : IConnectorPlugin
{
    /// <summary>The content of the embedded <c>plugin.json</c>.</summary>
    public PluginManifest Manifest { get; } = PluginManifest.FromEmbeddedResource(typeof(SandboxPlugin).Assembly, "Platform.Plugins.Sandbox.plugin.json");

    /// <summary>Creates the connector of one sandbox store.</summary>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SandboxConnector(context, SandboxSettings.From(context.Settings));
    }
}
