using Microsoft.EntityFrameworkCore;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Merchants;

public sealed record MerchantRequest(string? Id, string? Name, string? Currency);
/// <param name="PendingEvents">Buyer changes synced but not yet applied to customer profiles (0 = profiles are up to date).</param>
public sealed record MerchantView(string Id, string Name, string Currency, DateTimeOffset CreatedAt, int? PendingEvents = null);
/// <summary>A new key: the secret <c>key</c> (shown once, never again) and what the key list shows of it.</summary>
public sealed record KeyView(string Key, string MerchantId, string Id, string? Label, string Prefix, DateTimeOffset CreatedAt);
/// <summary>A key as listed: never the secret nor its hash. <c>status</c>: active, expiring (rotated, in its grace period) or revoked.</summary>
public sealed record ApiKeyView(string Id, string MerchantId, string? Label, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string Status);
/// <summary><c>POST /keys</c> body (optional).</summary>
public sealed record CreateKeyRequest(string? Label);
/// <summary><c>POST /keys/{id}/rotate</c> body (optional): the old key keeps working for <c>graceMinutes</c> (0, the default: revoked at once).</summary>
public sealed record RotateKeyRequest(int? GraceMinutes, string? Label);
/// <summary>A rotation: the new key, and the old one with the time it stops working.</summary>
public sealed record RotatedKeyView(KeyView Key, ApiKeyView Replaced);

public static class MerchantApi
{
    public static RouteGroupBuilder MapMerchantApi(this RouteGroupBuilder api)
    {
        api.MapPost("/merchants", Create).AdminOnly().WithTags("Merchants");
        api.MapGet("/merchants", List).AdminOnly().WithTags("Merchants");
        api.MapGet("/merchants/{m}", Get).WithTags("Merchants");
        api.MapPost("/merchants/{m}/keys", CreateKey).AdminOnly().WithTags("Merchants");
        // A merchant may see and revoke its own keys (a leaked key can be stopped without the operator);
        // minting keys, rotation included, takes the admin key.
        api.MapGet("/merchants/{m}/keys", ListKeys).WithTags("Merchants");
        api.MapDelete("/merchants/{m}/keys/{id}", RevokeKey).WithTags("Merchants");
        api.MapPost("/merchants/{m}/keys/{id}/rotate", RotateKey).AdminOnly().WithTags("Merchants");
        // Who the key is: the admin, or the merchant it belongs to (the console signs in with it).
        api.MapGet("/me", (HttpContext http) => ApiAuth.Caller(http) is var c ? TypedResults.Ok(new { admin = c.IsAdmin, merchant = c.MerchantId }) : null)
            .WithTags("Merchants");
        return api;
    }

    private static async Task<IResult> Create(MerchantRequest request, MerchantService merchants, CancellationToken ct)
    {
        var (view, errors) = await merchants.CreateAsync(request, ct);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (view is null) return Problems.Conflict($"merchant '{request.Id}' already exists");
        return TypedResults.Created($"/api/v1/merchants/{view.Id}", view);
    }

    private static async Task<IResult> List(IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Merchants.OrderBy(m => m.Id).ToListAsync(ct);
        return TypedResults.Ok(new { items = rows.Select(MerchantService.View), total = rows.Count });
    }

    private static async Task<IResult> Get(string m, IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Merchants.FirstOrDefaultAsync(x => x.Id == m, ct);
        if (row is null) return Problems.NotFound($"merchant '{m}' does not exist");
        var pending = await db.Outbox.CountAsync(o => o.MerchantId == m, ct);
        return TypedResults.Ok(MerchantService.View(row) with { PendingEvents = pending });
    }

    public const int MaxGraceMinutes = 7 * 24 * 60;
    private const int MaxLabel = 100;

    private static async Task<IResult> CreateKey(string m, CreateKeyRequest? body, IDbContextFactory<PlatformDbContext> factory, ApiKeys keys, CancellationToken ct)
    {
        if (body?.Label is { Length: > MaxLabel } label)
            return Problems.Invalid(new Dictionary<string, string[]> { ["label"] = [$"is {label.Length} characters long; at most {MaxLabel}"] });
        if (!await ExistsAsync(factory, m, ct)) return Problems.NotFound($"merchant '{m}' does not exist");
        var (key, row) = await keys.CreateAsync(m, body?.Label, ct);
        return TypedResults.Created($"/api/v1/merchants/{m}/keys/{row.Id}", NewKeyView(key, row));
    }

    private static async Task<IResult> ListKeys(string m, IDbContextFactory<PlatformDbContext> factory, ApiKeys keys, TimeProvider clock, CancellationToken ct)
    {
        if (!await ExistsAsync(factory, m, ct)) return Problems.NotFound($"merchant '{m}' does not exist");
        var rows = await keys.ListAsync(m, ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new { items = rows.Select(r => KeyInfo(r, now)), total = rows.Count });
    }

    private static async Task<IResult> RevokeKey(string m, string id, ApiKeys keys, TimeProvider clock, CancellationToken ct) =>
        await keys.RevokeAsync(m, id, ct) is { } row
            ? TypedResults.Ok(KeyInfo(row, clock.GetUtcNow()))
            : Problems.NotFound($"API key '{id}' does not exist in merchant '{m}': GET /api/v1/merchants/{m}/keys lists its keys");

    private static async Task<IResult> RotateKey(string m, string id, RotateKeyRequest? body, ApiKeys keys, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var grace = body?.GraceMinutes ?? 0;
        if (grace is < 0 or > MaxGraceMinutes) errors["graceMinutes"] = [$"is {grace}: use 0 (revoke the old key now) up to {MaxGraceMinutes} (7 days)"];
        if (body?.Label is { Length: > MaxLabel } label) errors["label"] = [$"is {label.Length} characters long; at most {MaxLabel}"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var outcome = await keys.RotateAsync(m, id, TimeSpan.FromMinutes(grace), body?.Label, ct);
        return outcome.Status switch
        {
            404 => Problems.NotFound($"API key '{id}' does not exist in merchant '{m}': GET /api/v1/merchants/{m}/keys lists its keys"),
            409 => Problems.Conflict($"API key '{id}' was revoked at {outcome.Old!.RevokedAt:O}: a revoked key cannot be rotated; create a new one with POST /api/v1/merchants/{m}/keys"),
            _ => TypedResults.Created($"/api/v1/merchants/{m}/keys/{outcome.New!.Id}",
                new RotatedKeyView(NewKeyView(outcome.Key!, outcome.New), KeyInfo(outcome.Old!, clock.GetUtcNow()))),
        };
    }

    private static async Task<bool> ExistsAsync(IDbContextFactory<PlatformDbContext> factory, string m, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Merchants.AnyAsync(x => x.Id == m, ct);
    }

    private static KeyView NewKeyView(string key, ApiKeyRow row) => new(key, row.MerchantId, row.Id, row.Label, row.Prefix, row.CreatedAt);

    public static ApiKeyView KeyInfo(ApiKeyRow row, DateTimeOffset now) => new(row.Id, row.MerchantId, row.Label, row.Prefix, row.CreatedAt, row.RevokedAt,
        row.RevokedAt is null ? "active" : row.RevokedAt > now ? "expiring" : "revoked");
}

public sealed class MerchantService(IDbContextFactory<PlatformDbContext> factory, TimeProvider clock)
{
    public async Task<(MerchantView? View, Dictionary<string, string[]> Errors)> CreateAsync(MerchantRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Ids.IsValid(request.Id)) errors["id"] = ["is required: 1–64 letters, digits, '-' or '_'"];
        if (string.IsNullOrWhiteSpace(request.Name)) errors["name"] = ["is required"];
        if (request.Currency is not { Length: 3 } c || !c.All(char.IsAsciiLetterUpper)) errors["currency"] = ["is required: an ISO 4217 code such as USD or SGD"];
        if (errors.Count > 0) return (null, errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Merchants.AnyAsync(x => x.Id == request.Id, ct)) return (null, errors);
        var row = new MerchantRow { Id = request.Id!, Name = request.Name!.Trim(), Currency = request.Currency!, CreatedAt = clock.GetUtcNow() };
        db.Merchants.Add(row);
        await db.SaveChangesAsync(ct);
        return (View(row), errors);
    }

    public static MerchantView View(MerchantRow r) => new(r.Id, r.Name, r.Currency, r.CreatedAt);
}
