using System.Net.Http.Headers;
using System.Text;

namespace Platform.Plugins.WooCommerce.Api;

/// <summary>
/// WooCommerce's key authentication over HTTPS: HTTP Basic with the consumer key as user and the consumer secret
/// as password (https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https).
/// </summary>
internal sealed class BasicAuthHandler(string consumerKey, string consumerSecret) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _header =
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{consumerKey}:{consumerSecret}")));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _header;
        return base.SendAsync(request, cancellationToken);
    }
}
