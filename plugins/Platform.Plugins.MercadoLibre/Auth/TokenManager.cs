using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Abstractions;
using Platform.Plugins.MercadoLibre.Api;

namespace Platform.Plugins.MercadoLibre.Auth;

/// <summary>
/// The seller's OAuth tokens. Mercado Libre rotates refresh tokens: a refresh answers a new refresh token and the
/// one that was used stops working. So the new tokens are saved in the host's token store before the new access
/// token is used, and later runs (after a restart too) refresh with the saved token rather than the setting.
/// </summary>
internal sealed class TokenManager(IMercadoLibreOAuth oauth, MercadoLibreSettings settings, ITokenStore store, TimeProvider clock, ILogger logger)
{
    /// <summary>Names in the token store.</summary>
    internal const string RefreshTokenName = "mercadolibre.refresh_token";
    internal const string AccessTokenName = "mercadolibre.access_token";
    internal const string ExpiresAtName = "mercadolibre.access_token_expires_at";
    // A hash of the refreshToken setting the saved chain started from: when the merchant pastes a new refresh token
    // (a new authorization), it wins over the saved one.
    internal const string OriginName = "mercadolibre.refresh_token_origin";

    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _accessToken;
    private DateTimeOffset _expiresAt;

    /// <summary>A valid access token: the one in memory or in the store, or a refreshed one.</summary>
    public async Task<string> GetAccessTokenAsync(CancellationToken ct)
    {
        if (_accessToken is { } current && clock.GetUtcNow() < _expiresAt - ExpiryMargin)
            return current;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_accessToken is { } again && clock.GetUtcNow() < _expiresAt - ExpiryMargin)
                return again;
            if (await SameOriginAsync(ct).ConfigureAwait(false)
                && await store.GetAsync(AccessTokenName, ct).ConfigureAwait(false) is { Length: > 0 } saved
                && DateTimeOffset.TryParse(await store.GetAsync(ExpiresAtName, ct).ConfigureAwait(false), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
                && clock.GetUtcNow() < expires - ExpiryMargin)
            {
                (_accessToken, _expiresAt) = (saved, expires);
                return saved;
            }
            return await RefreshLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A new access token after <paramref name="rejected"/> was answered 401 (unless another call already refreshed it).</summary>
    public async Task<string> RefreshAfterRejectionAsync(string rejected, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_accessToken is { } current && current != rejected && clock.GetUtcNow() < _expiresAt - ExpiryMargin)
                return current;
            return await RefreshLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> SameOriginAsync(CancellationToken ct) =>
        await store.GetAsync(OriginName, ct).ConfigureAwait(false) == Origin(settings.RefreshToken);

    private async Task<string> RefreshLockedAsync(CancellationToken ct)
    {
        var refreshToken = await SameOriginAsync(ct).ConfigureAwait(false) && await store.GetAsync(RefreshTokenName, ct).ConfigureAwait(false) is { Length: > 0 } saved
            ? saved
            : settings.RefreshToken;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = settings.ClientId,
            ["client_secret"] = settings.ClientSecret,
            ["refresh_token"] = refreshToken,
        };
        using var response = await Pages.SendAsync(() => oauth.Token(form, ct)).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? "/oauth/token";
        if (!response.IsSuccessStatusCode)
            throw Rejection(response.StatusCode, body, path);

        TokenResponse token;
        try
        {
            token = JsonSerializer.Deserialize<TokenResponse>(body) ?? throw new JsonException("empty answer");
        }
        catch (JsonException e)
        {
            throw new MalformedPageException("Mercado Libre", path, null, e);
        }
        if (string.IsNullOrEmpty(token.AccessToken))
            throw new MalformedPageException("Mercado Libre", path, "(a token answer without access_token)");

        var expires = clock.GetUtcNow().AddSeconds(token.ExpiresIn is > 0 ? token.ExpiresIn.Value : 21_600);
        // Save the rotated refresh token first: the one just used no longer works.
        if (!string.IsNullOrEmpty(token.RefreshToken))
            await store.SetAsync(RefreshTokenName, token.RefreshToken, ct).ConfigureAwait(false);
        await store.SetAsync(OriginName, Origin(settings.RefreshToken), ct).ConfigureAwait(false);
        await store.SetAsync(AccessTokenName, token.AccessToken, ct).ConfigureAwait(false);
        await store.SetAsync(ExpiresAtName, expires.ToString("O", CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        logger.LogInformation("Mercado Libre access token refreshed for user {UserId}; valid until {ExpiresAt:O}", token.UserId, expires);
        (_accessToken, _expiresAt) = (token.AccessToken, expires);
        return token.AccessToken;
    }

    private static Exception Rejection(HttpStatusCode status, string body, string path)
    {
        OAuthError? error = null;
        try
        {
            error = JsonSerializer.Deserialize<OAuthError>(body);
        }
        catch (JsonException)
        {
        }
        return error?.Error switch
        {
            "invalid_grant" => new ConnectorAuthException("refreshToken",
                "Mercado Libre rejected the refresh token (invalid_grant: expired, revoked or already used). Authorize the app again and update the setting 'refreshToken'."),
            "invalid_client" or "unauthorized_client" => new ConnectorAuthException("clientSecret",
                $"Mercado Libre rejected the application credentials ({error.Error}). Check the settings 'clientId' and 'clientSecret'."),
            _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ConnectorAuthException("refreshToken",
                $"Mercado Libre refused the token refresh ({(int)status}). Authorize the app again and update the setting 'refreshToken'."),
            _ => new HttpRequestException($"Mercado Libre answered {path} with {(int)status}: {MalformedPageException.Snippet(body)}", null, status),
        };
    }

    private static string Origin(string refreshToken) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
}
