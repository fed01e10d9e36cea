using Microsoft.EntityFrameworkCore;
using Platform.Host.Customers;
using Platform.Host.Merchants;
using Platform.Host.Scheduling;
using Platform.Host.Storage;
using Platform.Host.Stores;

namespace Platform.Host.Infrastructure;

/// <summary>
/// Runs once the silo is up: admin key, interrupted runs, the service backfill of older stores, demo seed, schedules; then keeps the outbox
/// drained (runs ask for dispatches themselves; this catches what a crash left behind).
/// </summary>
public sealed class StartupService(
    ApiKeys keys,
    SyncRunner runner,
    DemoSeeder demo,
    SyncScheduler scheduler,
    IDbContextFactory<PlatformDbContext> factory,
    IGrainFactory grains,
    Readiness readiness,
    Platform.Host.Service.ServiceBackfill service,
    Microsoft.Extensions.Options.IOptions<PlatformOptions> options,
    ILogger<StartupService> logger) : BackgroundService
{
    private bool Clustered => options.Value.Cluster.IsRedis;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        keys.EnsureAdminKey();
        // One host: whatever is marked running was interrupted by its own last stop. In a cluster other hosts may be
        // running them: only runs of hosts that are gone are taken over (WatchOrphanedRunsAsync).
        if (!Clustered) await runner.FailInterruptedRunsAsync(cancellationToken);
        // Before any sync can add messages: stores from an earlier version get their sentiment and cases first.
        await service.RunAsync(cancellationToken);
        await demo.SeedAsync(cancellationToken);
        await scheduler.RebuildAllAsync(cancellationToken);
        readiness.MarkReady();
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Outbox events older than this are dispatched by the backstop timer.</summary>
    public static readonly TimeSpan StaleOutbox = TimeSpan.FromSeconds(60);

    /// <summary>How often a cluster host looks for runs of hosts that died or left.</summary>
    public static readonly TimeSpan OrphanCheck = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var orphans = Clustered ? WatchOrphanedRunsAsync(stoppingToken) : Task.CompletedTask;
        await BackfillAsync(stoppingToken);
        await DrainOutboxAsync(stoppingToken);
        await orphans;
    }

    /// <summary>
    /// Runs marked running by a host that is no longer in the cluster (killed, or stopped while a run was going): their
    /// store grain is woken up here (or wherever Orleans places it), which fails them and resumes from the last
    /// committed page. Every host watches; the grain is one per store, so a run is resumed once.
    /// </summary>
    private async Task WatchOrphanedRunsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(OrphanCheck);
        do
        {
            try
            {
                foreach (var (merchant, store) in await runner.StoresWithOrphanedRunsAsync(stoppingToken))
                    await grains.GetGrain<IStoreGrain>(Ids.StoreKey(merchant, store)).Resume();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Looking for runs of hosts that are gone failed; trying again in {Seconds} s", OrphanCheck.TotalSeconds);
            }
            try
            {
                // Stores saved, paused or deleted through another host get the same triggers here.
                await scheduler.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Refreshing the schedules from the database failed; trying again in {Seconds} s", OrphanCheck.TotalSeconds);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task DrainOutboxAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        do
        {
            try
            {
                // Runs ask for their own batches; this backstop takes events nobody asked for within a minute
                // (a crash, a lost one-way call), so it never splits a running backfill into small batches.
                List<string> pending;
                var cutoff = DateTimeOffset.UtcNow - StaleOutbox;
                await using (var db = await factory.CreateDbContextAsync(stoppingToken))
                    pending = await db.Outbox.Where(o => o.CreatedAt < cutoff).Select(o => o.MerchantId).Distinct().ToListAsync(stoppingToken);
                foreach (var merchant in pending)
                    await grains.GetGrain<IIdentityGrain>(merchant).Dispatch();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outbox dispatch failed; retrying in 10 s");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Fills search rows and name keys a database from an earlier version lacks (nothing to do otherwise).</summary>
    private async Task BackfillAsync(CancellationToken ct)
    {
        try
        {
            List<string> merchants;
            await using (var db = await factory.CreateDbContextAsync(ct))
                merchants = await db.Merchants.Select(m => m.Id).ToListAsync(ct);
            foreach (var merchant in merchants)
                await grains.GetGrain<IIdentityGrain>(merchant).Backfill();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Backfilling search rows failed; search may miss customers synced by an earlier version until they change");
        }
    }
}
