using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;
using Platform.Host.Http;

namespace Platform.Plugins.Testing;

/// <summary>HttpClients like the host's: the same resilience pipeline (with short waits), one per connector.</summary>
public static class KitHttp
{
    private static readonly Lazy<SocketsHttpHandler> Transport = new(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) });

    /// <summary>The host's pipeline settings with waits short enough for tests (short retries, Retry-After capped at 5 s).</summary>
    internal static ConnectorHttpOptions TestOptions() => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(20),
        TotalTimeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>A client (and the handler under it, for <see cref="ConnectorContext.HttpHandler"/>) for one store of <paramref name="manifest"/>'s plugin, through the host's pipeline.</summary>
    public static (HttpClient Client, HttpMessageHandler Handler) Client(PluginManifest manifest) => Client(manifest, null);

    internal static (HttpClient Client, HttpMessageHandler Handler) Client(PluginManifest manifest, ConnectorHttpOptions? options)
    {
        var rate = manifest.RateLimit is { } r ? new CallRate(r.Requests, r.PerSeconds) : null;
        var pipeline = ConnectorResilience.Build($"conformance/{manifest.Id}", options ?? TestOptions(), rate, NullLogger.Instance);
        return ConnectorResilience.CreateClient(pipeline, Transport.Value);
    }
}

/// <summary>Connector contexts as the host builds them, for a plugin's own tests beside the conformance checks.</summary>
public static class KitContext
{
    /// <summary>A context for store <c>store-1</c> of merchant <c>conformance</c> with <paramref name="settingsJson"/>, through the host's pipeline.</summary>
    public static ConnectorContext Create(IConnectorPlugin plugin, string settingsJson, TimeProvider clock, ITokenStore tokens)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var (client, handler) = KitHttp.Client(plugin.Manifest);
        return new ConnectorContext
        {
            MerchantId = "conformance",
            StoreId = "store-1",
            Settings = ConnectorSettings.Parse(settingsJson),
            Http = client,
            HttpHandler = handler,
            Logger = NullLogger.Instance,
            Clock = clock,
            Tokens = tokens,
        };
    }
}
