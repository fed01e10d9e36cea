using Microsoft.EntityFrameworkCore;
using Platform.Abstractions;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;
using Platform.Host.Stores;
using Quartz;

namespace Platform.Host.Scheduling;

/// <summary>
/// One Quartz trigger per (store, stream) from the store's stored cron schedule, rebuilt at start-up and
/// whenever a store is saved or deleted. Quartz only decides when; the StoreGrain decides whether (one
/// run per stream at a time, one run per scheduled fire time).
/// </summary>
public sealed class SyncScheduler(ISchedulerFactory schedulers, IDbContextFactory<PlatformDbContext> factory, ILogger<SyncScheduler> logger)
{
    /// <summary>What each store's triggers were made from (enabled, schedules), to notice another host's changes.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> _scheduled = new();

    private static string Signature(StoreRow store) => $"{store.Enabled}|{store.SchedulesJson}";

    /// <summary>
    /// In a cluster a store is saved through one host: the others pick the change up here (called every few seconds),
    /// so every host has the same triggers. Stores whose schedules or pause state changed are rescheduled, deleted ones unscheduled.
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        List<StoreRow> stores;
        await using (var db = await factory.CreateDbContextAsync(ct))
            stores = await db.Stores.ToListAsync(ct);
        var present = new HashSet<(string, string)>();
        foreach (var store in stores)
        {
            present.Add((store.MerchantId, store.StoreId));
            if (_scheduled.TryGetValue((store.MerchantId, store.StoreId), out var was) && was == Signature(store)) continue;
            await ScheduleAsync(store, ct);
        }
        foreach (var gone in _scheduled.Keys.Where(k => !present.Contains(k)).ToList())
            await UnscheduleAsync(gone.Item1, gone.Item2, ct);
    }

    public async Task RebuildAllAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var stores = await db.Stores.ToListAsync(ct);
        var started = (await db.Cursors.Where(c => c.CursorJson != null).Select(c => new { c.MerchantId, c.StoreId, c.Stream }).ToListAsync(ct))
            .Select(c => (c.MerchantId, c.StoreId, c.Stream)).ToHashSet();
        foreach (var store in stores)
        {
            await ScheduleAsync(store, ct);
            if (!store.Enabled) continue;
            // First start of a store: backfill now rather than at the next cron tick.
            foreach (var stream in StoreConfig.Schedules(store).Keys)
                if (!started.Contains((store.MerchantId, store.StoreId, stream)))
                    await scheduler.ScheduleJob(Trigger(store, stream, cron: null), cancellationToken: ct);
        }
    }

    public async Task ScheduleAsync(StoreRow store, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await UnscheduleAsync(store.MerchantId, store.StoreId, ct);
        _scheduled[(store.MerchantId, store.StoreId)] = Signature(store);
        if (!store.Enabled) return;
        foreach (var (stream, cron) in StoreConfig.Schedules(store))
            await scheduler.ScheduleJob(Trigger(store, stream, cron), cancellationToken: ct);
        logger.LogDebug("Scheduled store {Merchant}/{Store}", store.MerchantId, store.StoreId);
    }

    public async Task UnscheduleAsync(string merchantId, string storeId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.UnscheduleJobs(GroupMatcher<TriggerKey>.GroupEquals(GroupOf(merchantId, storeId)), ct);
        _scheduled.TryRemove((merchantId, storeId), out _);
    }

    private static string GroupOf(string merchantId, string storeId) => "sync:" + Ids.StoreKey(merchantId, storeId);

    /// <summary>A cron trigger, or (no cron) a one-shot trigger that fires now.</summary>
    private static ITrigger Trigger(StoreRow store, string stream, string? cron)
    {
        var builder = TriggerBuilder.Create()
            .ForJob(SyncJob.Key)
            .WithIdentity(cron is null ? $"{stream}/backfill" : stream, GroupOf(store.MerchantId, store.StoreId))
            .UsingJobData(SyncJob.MerchantKey, store.MerchantId)
            .UsingJobData(SyncJob.StoreKey, store.StoreId)
            .UsingJobData(SyncJob.StreamKey, stream);
        return (cron is null
            ? builder.StartNow()
            : builder.WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))).Build();
    }
}

/// <summary>Thin: reads the job data and asks the store grain to sync. Nothing else.</summary>
[DisallowConcurrentExecution]
public sealed class SyncJob(IGrainFactory grains, ILogger<SyncJob> logger) : IJob
{
    public static readonly JobKey Key = new("store-sync", "sync");
    public const string MerchantKey = "merchant", StoreKey = "store", StreamKey = "stream";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var merchant = data.GetString(MerchantKey)!;
        var store = data.GetString(StoreKey)!;
        var stream = data.GetString(StreamKey)!;
        // The root of a scheduled sync's trace: the store grain's call, the run, its HTTP calls and writes nest under it.
        using var activity = PlatformTelemetry.Source.StartActivity("sync job");
        activity?.SetTag("platform.merchant", merchant).SetTag("platform.store", store).SetTag("platform.stream", stream)
            .SetTag("platform.trigger", context.Trigger.Key.Name);
        try
        {
            var fireTime = context.ScheduledFireTimeUtc?.ToUniversalTime();
            await grains.GetGrain<IStoreGrain>(Ids.StoreKey(merchant, store)).Sync(stream, "schedule", context.Trigger.Key.Name.EndsWith("/backfill", StringComparison.Ordinal) ? null : fireTime);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Scheduled sync of {Merchant}/{Store} {Stream} could not start", merchant, store, stream);
        }
    }
}
