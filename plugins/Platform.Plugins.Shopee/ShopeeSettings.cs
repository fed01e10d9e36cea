using Platform.Abstractions;

namespace Platform.Plugins.Shopee;

/// <summary>A shop's settings (see plugin.json).</summary>
internal sealed record ShopeeSettings(Uri BaseUrl, long PartnerId, string PartnerKey, long ShopId, string AccessToken, string RefreshToken)
{
    public const string DefaultBaseUrl = "https://partner.shopeemobile.com";

    /// <summary>The base URL's own path prefix without a trailing slash ("" for none), which is not part of the signed api_path.</summary>
    public string PathPrefix => BaseUrl.AbsolutePath.TrimEnd('/');

    public static ShopeeSettings From(ConnectorSettings settings)
    {
        var raw = settings.GetString("baseUrl") is { Length: > 0 } s ? s : DefaultBaseUrl;
        if (!Uri.TryCreate(raw.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException($"The store setting 'baseUrl' must be an http(s) URL such as {DefaultBaseUrl}.");
        var partnerId = settings.GetInt64("partnerId", 0);
        if (partnerId <= 0) throw new InvalidOperationException("The store setting 'partnerId' is required (a positive integer).");
        var shopId = settings.GetInt64("shopId", 0);
        if (shopId <= 0) throw new InvalidOperationException("The store setting 'shopId' is required (a positive integer).");
        return new ShopeeSettings(baseUrl, partnerId, settings.GetRequiredString("partnerKey"), shopId,
            settings.GetRequiredString("accessToken"), settings.GetRequiredString("refreshToken"));
    }
}
