using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Abstractions;

namespace Platform.Plugins.Ebay;

/// <summary>
/// eBay user access tokens (2 hours) from the store's refresh token: kept in memory and in the host's token store
/// (so a new connector of the store reuses it), renewed shortly before expiry or when eBay answers 401.
/// </summary>
internal sealed class EbayTokenProvider(IEbayOAuthApi oauth, EbaySettings settings, TimeProvider clock, ITokenStore store, ILogger logger)
{
    /// <summary>The token store key of the cached access token.</summary>
    public const string StoreKey = "ebay.accessToken";

    /// <summary>How long before expiry a token is renewed.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private const string TokenPath = "/identity/v1/oauth2/token";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _current;

    /// <summary>A valid access token; <paramref name="rejected"/> is one eBay just refused (never handed out again).</summary>
    public async Task<string> GetAsync(string? rejected, CancellationToken cancellationToken)
    {
        if (Usable(_current, rejected) is { } fast)
            return fast;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Usable(_current, rejected) is { } cached)
                return cached;
            if (rejected is null && Usable(await LoadAsync(cancellationToken).ConfigureAwait(false), null) is { } stored)
                return stored;
            _current = await RefreshAsync(cancellationToken).ConfigureAwait(false);
            await store.SetAsync(StoreKey, JsonSerializer.Serialize(_current, JsonSerializerOptions.Web), cancellationToken).ConfigureAwait(false);
            return _current.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Usable(CachedToken? token, string? rejected)
    {
        if (token is null || token.AccessToken == rejected || token.Fingerprint != Fingerprint())
            return null;
        if (clock.GetUtcNow() >= token.ExpiresAt - RenewBefore)
            return null;
        _current = token;
        return token.AccessToken;
    }

    private async Task<CachedToken?> LoadAsync(CancellationToken cancellationToken)
    {
        var json = await store.GetAsync(StoreKey, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<CachedToken>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<CachedToken> RefreshAsync(CancellationToken cancellationToken)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}"));
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = settings.RefreshToken,
            ["scope"] = settings.Scopes,
        };
        using var response = await oauth.RefreshAsync("Basic " + basic, form, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = response.RequestMessage?.RequestUri?.AbsolutePath ?? TokenPath;
        if (!response.IsSuccessStatusCode)
            throw Rejection(response.StatusCode, body, endpoint);

        EbayTokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize<EbayTokenResponse>(body);
        }
        catch (JsonException e)
        {
            // The body may hold a token: it stays out of the message.
            throw new MalformedPageException("eBay", endpoint, "(token response not shown)", e);
        }
        if (token?.AccessToken is not { Length: > 0 } accessToken)
            throw new MalformedPageException("eBay", endpoint, "(token response without access_token)");
        var lifetime = TimeSpan.FromSeconds(token.ExpiresIn > 0 ? token.ExpiresIn : 7200);
        logger.LogInformation("eBay access token refreshed; valid for {Minutes} minutes", (int)lifetime.TotalMinutes);
        return new CachedToken(accessToken, clock.GetUtcNow() + lifetime, Fingerprint());
    }

    private static Exception Rejection(HttpStatusCode status, string body, string endpoint)
    {
        EbayOAuthError? error = null;
        try
        {
            error = JsonSerializer.Deserialize<EbayOAuthError>(body);
        }
        catch (JsonException)
        {
        }
        var code = error?.Error ?? "";
        var detail = string.IsNullOrWhiteSpace(error?.ErrorDescription) ? "" : $" ({error!.ErrorDescription})";
        return code switch
        {
            "invalid_grant" => new ConnectorAuthException("refreshToken",
                $"eBay rejected the refresh token (invalid_grant{detail}): it expired, was revoked or belongs to another application. Sign in to eBay again and save the new 'refreshToken'."),
            "invalid_client" or "unauthorized_client" => new ConnectorAuthException("clientSecret",
                $"eBay rejected the application's credentials ({code}{detail}): check 'clientId' and 'clientSecret' (the production keys, not the sandbox ones, or the other way round)."),
            "invalid_scope" => new ConnectorAuthException("refreshToken",
                $"eBay refused the requested scopes (invalid_scope{detail}): the 'refreshToken' was not granted them. Authorize the application again with the read scopes for orders, feedback and messages."),
            _ when status is HttpStatusCode.Unauthorized => new ConnectorAuthException("clientSecret",
                $"eBay's token endpoint refused the application (401{detail}): check 'clientId' and 'clientSecret'."),
            _ => new HttpRequestException($"eBay's token endpoint {endpoint} answered {(int)status}{(code.Length > 0 ? $" {code}" : "")}{detail}.", null, status),
        };
    }

    private string Fingerprint()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{settings.BaseUrl}\n{settings.ClientId}\n{settings.RefreshToken}\n{settings.Scopes}"));
        return Convert.ToHexString(hash, 0, 12);
    }

    /// <summary>What the token store keeps: the token, when it expires, and which credentials it came from.</summary>
    internal sealed record CachedToken(string AccessToken, DateTimeOffset ExpiresAt, string Fingerprint);
}
