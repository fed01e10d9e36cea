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
        // Looked up on every request, never cached: a revoked key answers 401 from the next request on.
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        var merchant = await db.ApiKeys.Where(k => k.Hash == hex && (k.RevokedAt == null || k.RevokedAt > now)).Select(k => k.MerchantId).FirstOrDefaultAsync(ct);
        return merchant is null ? null : new ApiCaller(false, merchant);
    }

    /// <summary>Creates a merchant key; only its hash is stored. Returns the key (shown once) and its row.</summary>
    public async Task<(string Key, ApiKeyRow Row)> CreateAsync(string merchantId, string? label, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (key, row) = NewKey(merchantId, label);
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        return (key, row);
    }

    /// <summary>The merchant's keys, newest first (revoked ones included, for the record).</summary>
    public async Task<List<ApiKeyRow>> ListAsync(string merchantId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.ApiKeys.Where(k => k.MerchantId == merchantId).ToListAsync(ct);
        return [.. rows.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];
    }

    /// <summary>Revokes a key at once (an already revoked key keeps its time; one in its grace period ends now). Null: no such key of the merchant.</summary>
    public async Task<ApiKeyRow?> RevokeAsync(string merchantId, string id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsTracking().FirstOrDefaultAsync(k => k.MerchantId == merchantId && k.Id == id, ct);
        if (row is null) return null;
        var now = clock.GetUtcNow();
        if (row.RevokedAt is null || row.RevokedAt > now) row.RevokedAt = now;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Merchant {Merchant}: API key {Id} ({Prefix}…) revoked", merchantId, row.Id, row.Prefix);
        return row;
    }

    /// <summary>
    /// Replaces a key: a new key (same label unless one is given) in the same transaction as the old key's revocation,
    /// at once or after <paramref name="grace"/>. Null: no such key; a revoked key cannot be rotated (status 409).
    /// </summary>
    public async Task<RotateOutcome> RotateAsync(string merchantId, string id, TimeSpan grace, string? label, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var old = await db.ApiKeys.AsTracking().FirstOrDefaultAsync(k => k.MerchantId == merchantId && k.Id == id, ct);
        if (old is null) return new RotateOutcome(404, null, null, null);
        var now = clock.GetUtcNow();
        if (old.RevokedAt is { } revoked && revoked <= now) return new RotateOutcome(409, null, null, old);
        var (key, row) = NewKey(merchantId, label ?? old.Label);
        var end = now + grace;
        if (old.RevokedAt is null || old.RevokedAt > end) old.RevokedAt = end;
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Merchant {Merchant}: API key {Old} rotated to {New}; the old key stops working at {End:O}", merchantId, old.Id, row.Id, old.RevokedAt);
        return new RotateOutcome(201, key, row, old);
    }

    private (string Key, ApiKeyRow Row) NewKey(string merchantId, string? label)
    {
        var key = $"mk_{merchantId}_{NewSecret()}";
        return (key, new ApiKeyRow
        {
            Hash = Convert.ToHexStringLower(HashBytes(key)),
            MerchantId = merchantId,
            Prefix = key[..Math.Min(key.Length, merchantId.Length + 8)],
            CreatedAt = clock.GetUtcNow(),
            Id = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Label = string.IsNullOrWhiteSpace(label) ? null : label.Trim(),
        });
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');

    private static byte[] HashBytes(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>What a rotation did: 201 with the new key and both rows, 404 (no such key), 409 (the key is revoked).</summary>
public sealed record RotateOutcome(int Status, string? Key, ApiKeyRow? New, ApiKeyRow? Old);

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
