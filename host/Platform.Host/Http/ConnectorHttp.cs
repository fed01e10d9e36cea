using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Host.Infrastructure;
using Polly;
using Platform.Abstractions;

namespace Platform.Host.Http;

/// <summary>
/// Hands each store's connector an HttpClient over one shared connection pool, wrapped in that store's own
/// resilience pipeline (<see cref="ConnectorResilience"/>): a store's circuit breaker and rate limiter outlive
/// its runs and are never shared with another store.
/// </summary>
public sealed class ConnectorHttp(IOptions<PlatformOptions> options, ILoggerFactory loggers, TimeProvider clock) : IDisposable
{
    private readonly SocketsHttpHandler _transport = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };
    private readonly ConcurrentDictionary<(string Store, CallRate? Rate), ResiliencePipeline<HttpResponseMessage>> _pipelines = new();
    private readonly ILogger _logger = loggers.CreateLogger("Platform.Http");

    /// <summary>A client (and the handler under it) for one store of <paramref name="manifest"/>'s plugin.</summary>
    public (HttpClient Client, HttpMessageHandler Handler) ClientFor(string merchantId, string storeId, PluginManifest manifest)
    {
        var rate = manifest.RateLimit is { } r ? new CallRate(r.Requests, r.PerSeconds) : null;
        var pipeline = _pipelines.GetOrAdd(($"{merchantId}/{storeId}", rate),
            key => ConnectorResilience.Build(key.Store, options.Value.Http, key.Rate, _logger, clock));
        return ConnectorResilience.CreateClient(pipeline, _transport, $"platform-crm/1.0 ({manifest.Id})"); // the pipeline's timeouts apply
    }

    /// <summary>Forgets a store's pipeline (the store was deleted or changed plugin).</summary>
    public void Forget(string merchantId, string storeId)
    {
        foreach (var key in _pipelines.Keys.Where(k => k.Store == $"{merchantId}/{storeId}"))
            _pipelines.TryRemove(key, out _);
    }

    public void Dispose() => _transport.Dispose();
}
