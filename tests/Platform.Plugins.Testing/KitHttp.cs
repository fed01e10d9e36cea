using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;
using Platform.Host.Http;

namespace Platform.Plugins.Testing;

/// <summary>HttpClients like the host's: the same resilience pipeline (with short waits), one per connector.</summary>
public static class KitHttp
{
    private static readonly Lazy<SocketsHttpHandler> Transport = new(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) });

    /// <summary>The host's pipeline settings with waits short enough for tests.</summary>
    public static ConnectorHttpOptions TestOptions() => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(20),
        TotalTimeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>A client for one store of <paramref name="manifest"/>'s plugin, through the host's pipeline.</summary>
    public static HttpClient Client(PluginManifest manifest, ConnectorHttpOptions? options = null)
    {
        var rate = manifest.RateLimit is { } r ? new CallRate(r.Requests, r.PerSeconds) : null;
        var pipeline = ConnectorResilience.Build($"conformance/{manifest.Id}", options ?? TestOptions(), rate, NullLogger.Instance);
        var client = ConnectorResilience.CreateClient(pipeline, Transport.Value);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }
}
