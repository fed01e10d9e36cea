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
}

/// <summary>Keeps a store's refreshed credentials (access and refresh tokens) across runs, encrypted by the host.</summary>
public interface ITokenStore
{
    /// <summary>The value saved under <paramref name="name"/>, or null.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="value"/> under <paramref name="name"/>.</summary>
    Task SetAsync(string name, string value, CancellationToken cancellationToken);
}
