using Microsoft.Extensions.Logging;

namespace Platform.Abstractions;

/// <summary>Everything a connector gets from the host for one store.</summary>
public sealed record ConnectorContext
{
    /// <summary>The merchant that owns the store.</summary>
    public required string MerchantId { get; init; }
    /// <summary>The store id, unique within the merchant.</summary>
    public required string StoreId { get; init; }
    /// <summary>The store's settings, validated against the manifest schema, secrets decrypted.</summary>
    public required ConnectorSettings Settings { get; init; }
    /// <summary>An HTTP client from the host with resilience (timeouts, retries honouring Retry-After, circuit breaker, rate limit) already on.</summary>
    public required HttpClient Http { get; init; }
    /// <summary>A logger scoped to the store.</summary>
    public required ILogger Logger { get; init; }
    /// <summary>The clock: use it for "now", never <see cref="DateTimeOffset.UtcNow"/>.</summary>
    public required TimeProvider Clock { get; init; }
    /// <summary>Where refreshed OAuth tokens are kept between runs.</summary>
    public required ITokenStore Tokens { get; init; }

    /// <summary>
    /// The host's handler chain behind <see cref="Http"/> (resilience, rate limit, connection pool), for
    /// <see cref="CreateHttpClient"/>. Optional: without it, <see cref="CreateHttpClient"/> sends through <see cref="Http"/>.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>
    /// An HttpClient for <paramref name="baseAddress"/> whose requests pass through <paramref name="handlers"/> (first is
    /// outermost: auth, signing, token refresh) and then the host's pipeline, so a retried call is not re-signed by
    /// hand and a refresh-and-resend goes through the pipeline too. Give it to Refit (<c>RestService.For&lt;T&gt;(client)</c>).
    /// </summary>
    public HttpClient CreateHttpClient(Uri baseAddress, params DelegatingHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(handlers);
        HttpMessageHandler inner = HttpHandler ?? new ForwardingHandler(Http);
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = inner;
            inner = handlers[i];
        }
        return new HttpClient(inner, disposeHandler: false) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends through an HttpClient (a copy of each request: a client refuses a message another client sent).</summary>
    private sealed class ForwardingHandler(HttpClient client) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri)
            {
                Version = request.Version,
                VersionPolicy = request.VersionPolicy,
                Content = request.Content,
            };
            foreach (var (name, values) in request.Headers)
                copy.Headers.TryAddWithoutValidation(name, values);
            foreach (var (name, value) in request.Options)
                ((IDictionary<string, object?>)copy.Options)[name] = value;
            return client.SendAsync(copy, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
    }
}

/// <summary>Keeps a store's refreshed credentials (access and refresh tokens) across runs, encrypted by the host.</summary>
public interface ITokenStore
{
    /// <summary>The value saved under <paramref name="name"/>, or null.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="value"/> under <paramref name="name"/>.</summary>
    Task SetAsync(string name, string value, CancellationToken cancellationToken);
}
