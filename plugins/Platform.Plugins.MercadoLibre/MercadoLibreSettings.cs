using Platform.Abstractions;

namespace Platform.Plugins.MercadoLibre;

/// <summary>A store's settings, read once.</summary>
public sealed record MercadoLibreSettings(Uri BaseUrl, string ClientId, string ClientSecret, string RefreshToken, string SellerId)
{
    /// <summary>The public API.</summary>
    public const string DefaultBaseUrl = "https://api.mercadolibre.com";

    /// <summary>Reads the settings; throws naming the setting that is missing or wrong.</summary>
    public static MercadoLibreSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseUrl = settings.GetString("baseUrl", DefaultBaseUrl)!;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException("The store setting 'baseUrl' must be an absolute http(s) URL.");
        // A trailing slash makes the path prefix part of every call (Refit appends the endpoint paths to it).
        var normalized = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        return new MercadoLibreSettings(
            normalized,
            settings.GetRequiredString("clientId"),
            settings.GetRequiredString("clientSecret"),
            settings.GetRequiredString("refreshToken"),
            settings.GetRequiredString("sellerId"));
    }

    /// <summary>Never prints the secrets.</summary>
    public override string ToString() => $"MercadoLibreSettings {{ BaseUrl = {BaseUrl}, ClientId = {ClientId}, SellerId = {SellerId} }}";
}
