using System.Net;
using System.Net.Http.Headers;
using Platform.Abstractions;

namespace Platform.Plugins.MercadoLibre.Auth;

/// <summary>Puts the seller's access token on every API call; a 401 refreshes the token once and sends the call again.</summary>
internal sealed class BearerHandler(TokenManager tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        response.Dispose();
        token = await tokens.RefreshAfterRejectionAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        response.Dispose();
        throw new ConnectorAuthException("refreshToken",
            $"Mercado Libre rejected a freshly refreshed access token for {request.RequestUri?.AbsolutePath}: the authorization was revoked. Authorize the app again and update the setting 'refreshToken'.");
    }
}
