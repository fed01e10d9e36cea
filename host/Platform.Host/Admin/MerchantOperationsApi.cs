using Microsoft.EntityFrameworkCore;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Admin;

/// <summary><c>POST /recompute</c> body (optional): <c>review</c> also runs the periodic tier review with the scoring.</summary>
public sealed record RecomputeRequest(bool? Review);

/// <summary>Merchant-level re-runs under <c>/merchants/{m}</c>, for the admin or the merchant itself.</summary>
public static class MerchantOperationsApi
{
    public static RouteGroupBuilder MapMerchantOperationsApi(this RouteGroupBuilder merchant)
    {
        merchant.MapPost("/identity/rebuild", Rebuild).WithTags("Identity");
        merchant.MapPost("/recompute", StartRecompute).WithTags("Insights");
        merchant.MapGet("/recompute", RecomputeStatus).WithTags("Insights");
        return merchant;
    }

    /// <summary>Identity resolution over every stored account, synchronously: 200 with what it did.</summary>
    private static async Task<IResult> Rebuild(string m, IGrainFactory grains, IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        if (!await ExistsAsync(factory, m, ct)) return Problems.NotFound($"merchant '{m}' does not exist");
        var result = await grains.GetGrain<IIdentityGrain>(m).Rebuild();
        return result.Enabled
            ? TypedResults.Ok(result)
            : Problems.Conflict("identity resolution is turned off (Platform:Identity:Enabled=false): turn it on to rebuild");
    }

    /// <summary>Identity, model fit and full scoring in the background: 202 with the re-run to follow at GET /recompute.</summary>
    private static async Task<IResult> StartRecompute(string m, RecomputeRequest? body, IGrainFactory grains, IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        if (!await ExistsAsync(factory, m, ct)) return Problems.NotFound($"merchant '{m}' does not exist");
        var status = await grains.GetGrain<IRecomputeGrain>(m).Start(body?.Review ?? false);
        return TypedResults.Accepted($"/api/v1/merchants/{m}/recompute", status);
    }

    private static async Task<IResult> RecomputeStatus(string m, IGrainFactory grains, IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        if (!await ExistsAsync(factory, m, ct)) return Problems.NotFound($"merchant '{m}' does not exist");
        return await grains.GetGrain<IRecomputeGrain>(m).Status() is { } status
            ? TypedResults.Ok(status)
            : Problems.NotFound($"merchant '{m}' has no re-run since the host started: POST /api/v1/merchants/{m}/recompute starts one");
    }

    private static async Task<bool> ExistsAsync(IDbContextFactory<PlatformDbContext> factory, string m, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Merchants.AnyAsync(x => x.Id == m, ct);
    }
}
