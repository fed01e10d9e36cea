using Microsoft.EntityFrameworkCore;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;
using Quartz;

namespace Platform.Host.Scheduling;

/// <summary>
/// Every host runs Quartz in memory with the same triggers. For the cluster-wide jobs (the scheduled scoring, the case
/// sweep) one host per fire time does the work: the first to insert the claim row (job, fire time) runs the job, the
/// others veto it. Store syncs need no claim: their StoreGrain accepts one run per (stream, fire time).
/// </summary>
public sealed class ClusterOnce(IDbContextFactory<PlatformDbContext> factory, HostIdentity host, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<PlatformOptions> options, ILogger<ClusterOnce> logger) : ITriggerListener
{
    public string Name => "cluster-once";

    public async ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        // One host has nobody to share with (and its SQLite writes go through the write gate, not here).
        if (!options.Value.Cluster.IsRedis || context.ScheduledFireTimeUtc is not { } fireTime) return false;
        var job = $"{trigger.Key.Group}/{trigger.Key.Name}";
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            db.JobClaims.Add(new JobClaimRow { Job = job, FireTime = fireTime, Host = host.Name, ClaimedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            return false;
        }
        catch (DbUpdateException e) when (Sql.IsUniqueViolation(e))
        {
            logger.LogDebug("{Job} at {FireTime:O} was claimed by another host", job, fireTime);
            return true;
        }
    }

    public ValueTask TriggerFired(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    public ValueTask TriggerSkipped(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    public ValueTask TriggerRetriesExhausted(ITrigger trigger, IJobExecutionContext context, JobExecutionException exception, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    public ValueTask TriggerComplete(ITrigger trigger, IJobExecutionContext context, SchedulerInstruction triggerInstructionCode, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
