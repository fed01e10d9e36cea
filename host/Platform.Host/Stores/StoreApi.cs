using Microsoft.EntityFrameworkCore;
using Platform.Abstractions;
using Platform.Host.Infrastructure;
using Platform.Host.Plugins;
using Platform.Host.Scheduling;
using Platform.Host.Storage;

namespace Platform.Host.Stores;

public sealed record RunView(long Id, string Stream, string Status, string Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    int Pages, int Read, int Inserted, int Updated, int Skipped, string? Error, IReadOnlyList<string> Warnings,
    DateTimeOffset? ScheduledFor = null, string? Host = null);
public sealed record CursorView(string Stream, string? Cursor, DateTimeOffset? Since, DateTimeOffset UpdatedAt);
public sealed record CursorResetRequest(DateTimeOffset? Since);

public static class StoreApi
{
    public static RouteGroupBuilder MapStoreApi(this RouteGroupBuilder merchant)
    {
        var stores = merchant.MapGroup("/stores").WithTags("Stores");
        stores.MapGet("/", List);
        stores.MapGet("/{store}", Get);
        stores.MapPut("/{store}", Put);
        stores.MapDelete("/{store}", Delete);
        stores.MapPost("/{store}/check", Check);
        stores.MapPost("/{store}/sync", Sync);
        stores.MapPost("/{store}/pause", (string m, string store, StoreService service, StoreConfig config, CancellationToken ct) => SetEnabled(m, store, false, service, config, ct));
        stores.MapPost("/{store}/resume", (string m, string store, StoreService service, StoreConfig config, CancellationToken ct) => SetEnabled(m, store, true, service, config, ct));
        stores.MapGet("/{store}/runs", Runs);
        stores.MapGet("/{store}/cursors", Cursors);
        stores.MapPut("/{store}/cursors/{stream}", ResetCursor);
        return merchant;
    }

    private static async Task<IResult> List(string m, IDbContextFactory<PlatformDbContext> factory, StoreConfig config, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Stores.Where(s => s.MerchantId == m).OrderBy(s => s.StoreId).ToListAsync(ct);
        return TypedResults.Ok(new { items = rows.Select(config.View), total = rows.Count });
    }

    private static async Task<IResult> Get(string m, string store, IDbContextFactory<PlatformDbContext> factory, StoreConfig config, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Stores.FirstOrDefaultAsync(s => s.MerchantId == m && s.StoreId == store, ct);
        return row is null ? StoreNotFound(store) : TypedResults.Ok(config.View(row));
    }

    private static async Task<IResult> Put(string m, string store, StoreRequest request, StoreService stores, StoreConfig config, CancellationToken ct)
    {
        var (row, created, errors) = await stores.SaveAsync(m, store, request, ct);
        if (row is null) return errors.Count > 0 ? Problems.Invalid(errors) : Problems.NotFound($"merchant '{m}' does not exist");
        var view = config.View(row);
        return created ? TypedResults.Created($"/api/v1/merchants/{m}/stores/{store}", view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> Delete(string m, string store, StoreService stores, CancellationToken ct) =>
        await stores.DeleteAsync(m, store, ct) ? TypedResults.NoContent() : StoreNotFound(store);

    private static async Task<IResult> Check(string m, string store, IDbContextFactory<PlatformDbContext> factory, IGrainFactory grains, CancellationToken ct)
    {
        if (!await Exists(factory, m, store, ct)) return StoreNotFound(store);
        try
        {
            var outcome = await grains.GetGrain<IStoreGrain>(Ids.StoreKey(m, store)).Check();
            return TypedResults.Ok(new { ok = outcome.Ok, message = outcome.Message });
        }
        catch (StoreConfigurationException e)
        {
            return TypedResults.Ok(new { ok = false, message = e.Message });
        }
    }

    private static async Task<IResult> Sync(string m, string store, string? stream, IDbContextFactory<PlatformDbContext> factory, PluginCatalog catalog, IGrainFactory grains, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Stores.FirstOrDefaultAsync(s => s.MerchantId == m && s.StoreId == store, ct);
        if (row is null) return StoreNotFound(store);
        if (!row.Enabled) return Problems.Conflict($"store '{store}' is paused: resume it with POST /stores/{store}/resume");
        var plugin = catalog.Find(row.Plugin);
        if (plugin is null) return Problems.Conflict($"store '{store}' uses plugin '{row.Plugin}', which is not loaded: see GET /api/v1/plugins");
        if (stream is not null && (!StreamNames.TryParse(stream, out var s) || !plugin.Supports(s)))
            return Problems.Invalid(new Dictionary<string, string[]> { ["stream"] = [$"'{stream}' is not a stream of plugin '{plugin.Manifest.Id}': use {string.Join(", ", plugin.Manifest.Streams)}"] });
        var runs = await grains.GetGrain<IStoreGrain>(Ids.StoreKey(m, store)).Sync(stream, "manual", null);
        return TypedResults.Accepted($"/api/v1/merchants/{m}/stores/{store}/runs", new { runs = runs.Select(r => new { id = r.Id, stream = r.Stream, alreadyRunning = r.AlreadyRunning }) });
    }

    private static async Task<IResult> Runs(string m, string store, string? stream, int? page, int? pageSize, IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = PageRequest.From(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.MerchantId == m && s.StoreId == store, ct)) return StoreNotFound(store);
        var q = db.Runs.Where(r => r.MerchantId == m && r.StoreId == store);
        if (stream is not null) q = q.Where(r => r.Stream == stream);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(r => r.Id).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        return TypedResults.Ok(new Paged<RunView>(rows.Select(r => new RunView(r.Id, r.Stream, r.Status, r.Trigger, r.StartedAt, r.FinishedAt,
            r.Pages, r.Read, r.Inserted, r.Updated, r.Skipped, r.Error,
            r.Warnings is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(r.Warnings) ?? [], r.ScheduledFor, r.Host)).ToList(), total, paging.Page, paging.PageSize));
    }

    private static async Task<IResult> Cursors(string m, string store, IDbContextFactory<PlatformDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.MerchantId == m && s.StoreId == store, ct)) return StoreNotFound(store);
        var rows = await db.Cursors.Where(c => c.MerchantId == m && c.StoreId == store).OrderBy(c => c.Stream).ToListAsync(ct);
        return TypedResults.Ok(new { items = rows.Select(c => new CursorView(c.Stream, c.CursorJson, c.Since, c.UpdatedAt)), total = rows.Count });
    }

    private static async Task<IResult> ResetCursor(string m, string store, string stream, CursorResetRequest request, StoreService stores, CancellationToken ct)
    {
        if (!StreamNames.TryParse(stream, out var s))
            return Problems.Invalid(new Dictionary<string, string[]> { ["stream"] = [$"'{stream}' is not a stream: use orders, reviews or chats"] });
        if (request.Since is null)
            return Problems.Invalid(new Dictionary<string, string[]> { ["since"] = ["is required: the date to read again from, e.g. \"2026-01-01T00:00:00Z\""] });
        var view = await stores.ResetCursorAsync(m, store, s, request.Since.Value, ct);
        return view is null ? StoreNotFound(store) : TypedResults.Ok(view);
    }

    /// <summary>Pause (no scheduled or manual syncs until resumed; stored data and cursors stay) or resume a store.</summary>
    private static async Task<IResult> SetEnabled(string m, string store, bool enabled, StoreService stores, StoreConfig config, CancellationToken ct) =>
        await stores.SetEnabledAsync(m, store, enabled, ct) is { } row ? TypedResults.Ok(config.View(row)) : StoreNotFound(store);

    private static async Task<bool> Exists(IDbContextFactory<PlatformDbContext> factory, string m, string store, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Stores.AnyAsync(s => s.MerchantId == m && s.StoreId == store, ct);
    }

    private static IResult StoreNotFound(string store) => Problems.NotFound($"store '{store}' does not exist: create it with PUT");
}

/// <summary>Saving, deleting and re-scheduling stores (used by the API and the demo seed).</summary>
public sealed class StoreService(IDbContextFactory<PlatformDbContext> factory, StoreConfig config, SyncScheduler scheduler, Platform.Host.Http.ConnectorHttp http, TimeProvider clock)
{
    public async Task<(StoreRow? Row, bool Created, Dictionary<string, string[]> Errors)> SaveAsync(string merchantId, string storeId, StoreRequest request, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Merchants.AnyAsync(x => x.Id == merchantId, ct)) return (null, false, []);
        var existing = await db.Stores.AsTracking().FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.StoreId == storeId, ct);
        var (row, errors) = config.Build(merchantId, storeId, request, existing);
        if (row is null) return (null, false, errors);
        if (existing is null) db.Stores.Add(row);
        else db.Entry(existing).CurrentValues.SetValues(row);
        await db.SaveChangesAsync(ct);
        await scheduler.ScheduleAsync(row, ct);
        return (row, existing is null, errors);
    }

    /// <summary>Pauses or resumes a store: its schedules follow; a run in progress finishes.</summary>
    public async Task<StoreRow?> SetEnabledAsync(string merchantId, string storeId, bool enabled, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Stores.AsTracking().FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.StoreId == storeId, ct);
        if (row is null) return null;
        if (row.Enabled != enabled)
        {
            row.Enabled = enabled;
            row.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        if (enabled) await scheduler.ScheduleAsync(row, ct);
        else await scheduler.UnscheduleAsync(merchantId, storeId, ct);
        return row;
    }

    public async Task<bool> DeleteAsync(string merchantId, string storeId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var n = await db.Stores.Where(s => s.MerchantId == merchantId && s.StoreId == storeId).ExecuteDeleteAsync(ct);
        if (n == 0) return false;
        await db.Cursors.Where(s => s.MerchantId == merchantId && s.StoreId == storeId).ExecuteDeleteAsync(ct);
        await db.Tokens.Where(s => s.MerchantId == merchantId && s.StoreId == storeId).ExecuteDeleteAsync(ct);
        await scheduler.UnscheduleAsync(merchantId, storeId, ct);
        http.Forget(merchantId, storeId);
        return true;
    }

    public async Task<CursorView?> ResetCursorAsync(string merchantId, string storeId, StreamName stream, DateTimeOffset since, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.MerchantId == merchantId && s.StoreId == storeId, ct)) return null;
        var name = stream.ToWire();
        var row = await db.Cursors.AsTracking().FirstOrDefaultAsync(c => c.MerchantId == merchantId && c.StoreId == storeId && c.Stream == name, ct);
        if (row is null) db.Cursors.Add(row = new CursorRow { MerchantId = merchantId, StoreId = storeId, Stream = name });
        row.CursorJson = null;
        row.Since = since.ToUniversalTime();
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new CursorView(row.Stream, row.CursorJson, row.Since, row.UpdatedAt);
    }
}
