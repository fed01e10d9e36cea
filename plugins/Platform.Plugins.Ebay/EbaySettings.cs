using Platform.Abstractions;

namespace Platform.Plugins.Ebay;

/// <summary>A store's eBay settings, read from the validated settings object.</summary>
internal sealed record EbaySettings
{
    /// <summary>The scopes asked for on refresh when the store does not say: read orders, feedback and messages.</summary>
    public const string DefaultScopes =
        "https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly " +
        "https://api.ebay.com/oauth/api_scope/commerce.feedback.readonly " +
        "https://api.ebay.com/oauth/api_scope/commerce.message";

    public required Uri BaseUrl { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public required string RefreshToken { get; init; }
    public required string MarketplaceId { get; init; }
    public string? SellerUsername { get; init; }
    public required string Scopes { get; init; }

    public static EbaySettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseUrl = settings.GetString("baseUrl", "https://api.ebay.com")!.Trim().TrimEnd('/');
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"The store setting 'baseUrl' must be an http(s) URL, not '{baseUrl}'.");
        return new EbaySettings
        {
            // A trailing slash makes Refit keep the path prefix (for example a proxy's /ebay).
            BaseUrl = new Uri(baseUrl + "/"),
            ClientId = settings.GetRequiredString("clientId"),
            ClientSecret = settings.GetRequiredString("clientSecret"),
            RefreshToken = settings.GetRequiredString("refreshToken"),
            MarketplaceId = settings.GetString("marketplaceId", "EBAY_US") is { Length: > 0 } m ? m : "EBAY_US",
            SellerUsername = settings.GetString("sellerUsername") is { Length: > 0 } s ? s : null,
            Scopes = settings.GetString("scopes") is { Length: > 0 } sc ? sc : DefaultScopes,
        };
    }
}
