using System.Net;
using System.Net.Http.Headers;

namespace Platform.Plugins.Ebay;

/// <summary>
/// Puts eBay's bearer token on every API call. A 401 gets one refreshed token and one retry; a second 401 is
/// left to the connector, which reports it as a rejected credential.
/// </summary>
internal sealed class EbayAuthHandler(EbayTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(rejected: null, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        response.Dispose();
        token = await tokens.GetAsync(rejected: token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
