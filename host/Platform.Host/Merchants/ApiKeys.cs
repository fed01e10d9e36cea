using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Merchants;

/// <summary>Who is calling: the admin, or one merchant.</summary>
public sealed record ApiCaller(bool IsAdmin, string? MerchantId)
{
    public bool MaySee(string merchantId) => IsAdmin || MerchantId == merchantId;
}

/// <summary>API keys: the admin key from configuration or &lt;data&gt;/admin.key; merchant keys stored as SHA-256 hashes.</summary>
public sealed class ApiKeys(IDbContextFactory<PlatformDbContext> factory, IOptions<PlatformOptions> options, TimeProvider clock, ILogger<ApiKeys> logger)
{
    public const string Header = "X-Api-Key";
    private byte[]? _adminHash;

    /// <summary>Reads or creates the admin key; logs it once, when it is generated.</summary>
    public void EnsureAdminKey()
    {
        var configured = options.Value.AdminKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _adminHash = HashBytes(configured.Trim());
            return;
        }
        var path = Path.Combine(options.Value.ResolveDataDirectory(), "admin.key");
        if (File.Exists(path))
        {
            _adminHash = HashBytes(File.ReadAllText(path).Trim());
            return;
        }
        var key = "adm_" + NewSecret();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _adminHash = HashBytes(key);
        logger.LogWarning("Generated the admin API key (shown once; also saved to {Path}): {Key}", path, key);
    }

    public async Task<ApiCaller?> AuthenticateAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key)) return null;
        var hash = HashBytes(key.Trim());
        if (_adminHash is not null && CryptographicOperations.FixedTimeEquals(hash, _adminHash)) return new ApiCaller(true, null);
        var hex = Convert.ToHexStringLower(hash);
        await using var db = await factory.CreateDbContextAsync(ct);
        var merchant = await db.ApiKeys.Where(k => k.Hash == hex).Select(k => k.MerchantId).FirstOrDefaultAsync(ct);
        return merchant is null ? null : new ApiCaller(false, merchant);
    }

    /// <summary>Creates a merchant key; only its hash is stored.</summary>
    public async Task<string> CreateAsync(string merchantId, CancellationToken ct)
    {
        var key = $"mk_{merchantId}_{NewSecret()}";
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ApiKeys.Add(new ApiKeyRow { Hash = Convert.ToHexStringLower(HashBytes(key)), MerchantId = merchantId, Prefix = key[..Math.Min(key.Length, merchantId.Length + 7)], CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return key;
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');

    private static byte[] HashBytes(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>Endpoint filters: a valid key (401 otherwise); admin only; the route's merchant visible to the caller (404 otherwise).</summary>
public static class ApiAuth
{
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group) => group.AddEndpointFilter(async (ctx, next) =>
    {
        var keys = ctx.HttpContext.RequestServices.GetRequiredService<ApiKeys>();
        var caller = await keys.AuthenticateAsync(ctx.HttpContext.Request.Headers[ApiKeys.Header], ctx.HttpContext.RequestAborted);
        if (caller is null)
            return Problems.Unauthorized($"Send a valid API key in the {ApiKeys.Header} header (the admin key is in <data>/admin.key or Platform:AdminKey).");
        ctx.HttpContext.Items[typeof(ApiCaller)] = caller;
        if (ctx.HttpContext.Request.RouteValues.TryGetValue("m", out var m) && m is string merchant && !caller.MaySee(merchant))
            return Problems.NotFound($"merchant '{merchant}' does not exist");
        return await next(ctx);
    });

    public static RouteHandlerBuilder AdminOnly(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter(async (ctx, next) =>
        Caller(ctx.HttpContext).IsAdmin ? await next(ctx) : Problems.Forbidden("This needs the admin key."));

    public static ApiCaller Caller(HttpContext http) => (ApiCaller)http.Items[typeof(ApiCaller)]!;
}
