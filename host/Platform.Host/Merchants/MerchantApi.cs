using Microsoft.EntityFrameworkCore;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Merchants;

public sealed record MerchantRequest(string? Id, string? Name, string? Currency);
/// <param name="PendingEvents">Buyer changes synced but not yet applied to customer profiles (0 = profiles are up to date).</param>
public sealed record MerchantView(string Id, string Name, string Currency, DateTimeOffset CreatedAt, int? PendingEvents = null);
public sealed record KeyView(string Key, string MerchantId);

public static class MerchantApi
{
    public static RouteGroupBuilder MapMerchantApi(this RouteGroupBuilder api)
    {
        api.MapPost("/merchants", Create).AdminOnly().WithTags("Merchants");
        api.MapGet("/merchants", List).AdminOnly().WithTags("Merchants");
        api.MapGet("/merchants/{m}", Get).WithTags("Merchants");
        api.MapPost("/merchants/{m}/keys", CreateKey).AdminOnly().WithTags("Merchants");
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

    private static async Task<IResult> CreateKey(string m, IDbContextFactory<PlatformDbContext> factory, ApiKeys keys, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Merchants.AnyAsync(x => x.Id == m, ct)) return Problems.NotFound($"merchant '{m}' does not exist");
        var key = await keys.CreateAsync(m, ct);
        return TypedResults.Created($"/api/v1/merchants/{m}", new KeyView(key, m));
    }
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
