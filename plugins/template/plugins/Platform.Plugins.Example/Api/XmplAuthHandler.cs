using System.Net.Http.Headers;

namespace Platform.Plugins.Example.Api;

/// <summary>
/// Authentication: here a Bearer API key. TODO: your marketplace's scheme (Basic, a signature over the request,
/// an OAuth access token refreshed through <c>ConnectorContext.Tokens</c>).
/// </summary>
internal sealed class XmplAuthHandler(string apiKey) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
