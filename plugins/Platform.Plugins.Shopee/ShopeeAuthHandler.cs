using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.Abstractions;

namespace Platform.Plugins.Shopee;

/// <summary>Shopee's v2 request signature (https://open.shopee.com/developer-guide/16, "Authorization and authentication").</summary>
internal static class ShopeeSignature
{
    /// <summary>
    /// Lower-case hex HMAC-SHA256, keyed with the partner key, of partner_id + api_path + timestamp (+ access_token
    /// + shop_id for shop APIs). api_path is the API's own path (<c>/api/v2/…</c>), without any base URL prefix.
    /// </summary>
    public static string Sign(string partnerKey, long partnerId, string apiPath, long timestamp, string? accessToken = null, long? shopId = null)
    {
        var text = string.Concat(partnerId.ToString(System.Globalization.CultureInfo.InvariantCulture), apiPath,
            timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), accessToken ?? "",
            shopId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(partnerKey), Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>
/// The shop's access and refresh tokens. Tokens refreshed by an earlier run (kept by the host's token store) win
/// over the settings, unless the merchant has since put a different refresh token in the settings (re-authorized).
/// Shopee rotates the refresh token on every refresh, so both new tokens are saved before either is used.
/// </summary>
internal sealed class ShopeeTokens(ITokenStore store, ShopeeSettings settings)
{
    public const string AccessTokenName = "accessToken";
    public const string RefreshTokenName = "refreshToken";
    /// <summary>A fingerprint of the settings' refresh token the saved tokens descend from.</summary>
    public const string OriginName = "refreshTokenOrigin";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Access, string Refresh)? _current;

    /// <summary>Calls Shopee's refresh endpoint (set by the connector, through the Refit client).</summary>
    public Func<string, CancellationToken, Task<(string Access, string Refresh)>>? Refresher { get; set; }

    public async Task<(string Access, string Refresh)> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } known) return known;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } again) return again;
            var origin = await store.GetAsync(OriginName, cancellationToken).ConfigureAwait(false);
            var access = await store.GetAsync(AccessTokenName, cancellationToken).ConfigureAwait(false);
            var refresh = await store.GetAsync(RefreshTokenName, cancellationToken).ConfigureAwait(false);
            _current = origin == Fingerprint(settings.RefreshToken) && !string.IsNullOrEmpty(access) && !string.IsNullOrEmpty(refresh)
                ? (access, refresh)
                : (settings.AccessToken, settings.RefreshToken);
            return _current.Value;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Refreshes the tokens after <paramref name="staleAccess"/> was rejected; returns the new access token.</summary>
    public async Task<string> RefreshAsync(string staleAccess, CancellationToken cancellationToken)
    {
        var refresher = Refresher ?? throw new InvalidOperationException("No token refresher is set.");
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } now && now.Access != staleAccess) return now.Access;   // refreshed meanwhile
            var fresh = await refresher(current.Refresh, cancellationToken).ConfigureAwait(false);
            await store.SetAsync(AccessTokenName, fresh.Access, cancellationToken).ConfigureAwait(false);
            await store.SetAsync(RefreshTokenName, fresh.Refresh, cancellationToken).ConfigureAwait(false);
            await store.SetAsync(OriginName, Fingerprint(settings.RefreshToken), cancellationToken).ConfigureAwait(false);
            _current = fresh;
            return fresh.Access;
        }
        finally { _gate.Release(); }
    }

    private static string Fingerprint(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("shopee-refresh:" + value)));
}

/// <summary>
/// Adds Shopee's common parameters (partner_id, timestamp, access_token, shop_id, sign) to every call, and on an
/// invalid or expired access token refreshes it once and repeats the call. Wrong signatures name the partner key;
/// tokens that stay rejected name the tokens. Retries of 429/5xx are the host pipeline's (inside, below this handler).
/// </summary>
internal sealed class ShopeeAuthHandler(ShopeeSettings settings, TimeProvider clock, ShopeeTokens tokens) : DelegatingHandler
{
    private enum Problem { None, Token, Sign, Forbidden }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var apiPath = ApiPath(request.RequestUri!);
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (apiPath == IShopeeApi.RefreshPath)
            return await base.SendAsync(Signed(request, body, apiPath, null), cancellationToken).ConfigureAwait(false);

        var (access, _) = await tokens.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(Signed(request, body, apiPath, access), cancellationToken).ConfigureAwait(false);
        var (problem, detail) = await ProblemOfAsync(response, cancellationToken).ConfigureAwait(false);
        if (problem == Problem.None) return response;
        response.Dispose();
        if (problem == Problem.Sign) throw PartnerKeyRejected(detail);
        if (problem == Problem.Forbidden) throw Forbidden(apiPath, detail);

        var fresh = await tokens.RefreshAsync(access, cancellationToken).ConfigureAwait(false);
        response = await base.SendAsync(Signed(request, body, apiPath, fresh), cancellationToken).ConfigureAwait(false);
        (problem, detail) = await ProblemOfAsync(response, cancellationToken).ConfigureAwait(false);
        if (problem == Problem.None) return response;
        response.Dispose();
        throw problem switch
        {
            Problem.Sign => PartnerKeyRejected(detail),
            Problem.Forbidden => Forbidden(apiPath, detail),
            _ => new ConnectorAuthException(ShopeeTokens.AccessTokenName,
                $"Shopee rejected the access token even right after refreshing it ({detail}). Re-authorize the shop in the Shopee Open Platform console and update 'accessToken' and 'refreshToken'."),
        };
    }

    /// <summary>The API's own path: the request's path without the base URL's path prefix.</summary>
    public string ApiPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        var prefix = settings.PathPrefix;
        return prefix.Length > 0 && path.StartsWith(prefix + "/", StringComparison.Ordinal) ? path[prefix.Length..] : path;
    }

    private HttpRequestMessage Signed(HttpRequestMessage original, byte[]? body, string apiPath, string? accessToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var uri = original.RequestUri!;
        var query = new StringBuilder(uri.Query.TrimStart('?'));
        void Add(string name, string value)
        {
            if (query.Length > 0) query.Append('&');
            query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Add("partner_id", settings.PartnerId.ToString(inv));
        Add("timestamp", timestamp.ToString(inv));
        if (accessToken is null)
            Add("sign", ShopeeSignature.Sign(settings.PartnerKey, settings.PartnerId, apiPath, timestamp));
        else
        {
            Add("access_token", accessToken);
            Add("shop_id", settings.ShopId.ToString(inv));
            Add("sign", ShopeeSignature.Sign(settings.PartnerKey, settings.PartnerId, apiPath, timestamp, accessToken, settings.ShopId));
        }
        var copy = new HttpRequestMessage(original.Method, new UriBuilder(uri) { Query = query.ToString() }.Uri)
        {
            Version = original.Version,
            VersionPolicy = original.VersionPolicy,
        };
        foreach (var header in original.Headers)
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        if (body is not null && original.Content is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in original.Content.Headers)
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return copy;
    }

    /// <summary>Whether the answer rejects the credentials: Shopee answers 403 (or 200) with an <c>error</c> field.</summary>
    private static async Task<(Problem, string)> ProblemOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is not (200 or 400 or 401 or 403))
            return (Problem.None, "");
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string error = "", message = "";
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String) error = e.GetString() ?? "";
                if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) message = m.GetString() ?? "";
                else if (doc.RootElement.TryGetProperty("msg", out var m2) && m2.ValueKind == JsonValueKind.String) message = m2.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
            // Not JSON: a 200 is the connector's to report as malformed; a 401/403 is still a rejection.
        }
        var detail = error.Length == 0 ? $"HTTP {status}" : message.Length == 0 ? error : $"{error}: {message}";
        if (error == "error_sign" || message.Contains("wrong sign", StringComparison.OrdinalIgnoreCase))
            return (Problem.Sign, detail);
        if (error is "invalid_access_token" or "invalid_acceess_token" or "error_auth" or "error_access_token"
            || (error.Length > 0 && message.Contains("access_token", StringComparison.OrdinalIgnoreCase)))
            return (Problem.Token, detail);
        if (response.StatusCode is HttpStatusCode.Unauthorized)
            return (Problem.Token, detail);
        if (response.StatusCode is HttpStatusCode.Forbidden)
            return error is "error_permission" or "error_forbidden" ? (Problem.Forbidden, detail) : (Problem.Token, detail);
        return (Problem.None, "");
    }

    internal static ConnectorAuthException PartnerKeyRejected(string detail) =>
        new("partnerKey", $"Shopee rejected the request signature ({detail}). Check the 'partnerKey' (and 'partnerId') of your app in the Shopee Open Platform console.");

    private static ConnectorAuthException Forbidden(string apiPath, string detail) =>
        new(ShopeeTokens.AccessTokenName, $"Shopee refused {apiPath} ({detail}): the app lacks the permission or the shop's authorization does not cover it. Re-authorize the shop and update 'accessToken' and 'refreshToken'.");
}
