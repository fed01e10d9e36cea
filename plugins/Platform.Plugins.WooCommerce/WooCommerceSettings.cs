using Platform.Abstractions;

namespace Platform.Plugins.WooCommerce;

/// <summary>A shop's settings, read once. Never printed: the key and secret are credentials.</summary>
internal sealed record WooCommerceSettings(Uri BaseUrl, string ConsumerKey, string ConsumerSecret)
{
    public const string BaseUrlName = "baseUrl";
    public const string ConsumerKeyName = "consumerKey";
    public const string ConsumerSecretName = "consumerSecret";

    /// <summary>Where the REST API v3 lives: <c>{baseUrl}/wp-json/wc/v3</c> (a shop under a sub-path keeps it).</summary>
    public Uri ApiRoot => new(BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/wp-json/wc/v3");

    public static WooCommerceSettings From(ConnectorSettings settings)
    {
        var raw = settings.GetRequiredString(BaseUrlName).Trim();
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException($"The store setting '{BaseUrlName}' must be the shop's address, such as https://shop.example.com (it is '{raw}').");
        return new WooCommerceSettings(url, settings.GetRequiredString(ConsumerKeyName), settings.GetRequiredString(ConsumerSecretName));
    }

    /// <inheritdoc />
    public override string ToString() => $"WooCommerce shop {BaseUrl}";
}
