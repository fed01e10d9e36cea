using Orleans.Concurrency;
using Platform.Host.Storage;
using Quartz;

namespace Platform.Host.Value;

/// <summary>
/// Scoring of one merchant (key: merchant id). One activation per merchant takes the requests in turn, so a
/// rescoring after a sync batch never races the scheduled full scoring.
/// </summary>
[Alias("Platform.IScoringGrain")]
public interface IScoringGrain : IGrainWithStringKey
{
    /// <summary>Rescores these customers (touched by a sync batch or a merge) without waiting.</summary>
    [Alias("ScoreSoon"), OneWay] Task ScoreSoon(IReadOnlyList<string> customers);

    /// <summary>Scores every customer; with <paramref name="review"/>, also the periodic tier review.</summary>
    [Alias("ScoreAll"), ResponseTimeout("00:10:00")] Task<ScoringResult> ScoreAll(bool review);

    /// <summary>Refits the value model on today's data, then scores every customer with the tier review.</summary>
    [Alias("Nightly"), ResponseTimeout("00:30:00")] Task<ScoringResult> Nightly();

    /// <summary>A manual points adjustment, in turn with the scorings (which plan expiries from the ledger).</summary>
    [Alias("AdjustPoints")] Task<PointsAdjustment> AdjustPoints(string customerId, long points, string reason, string? key);
}

public sealed class ScoringGrain(Scoring scoring, ValueModels models, PointsAwards awards, Microsoft.EntityFrameworkCore.IDbContextFactory<PlatformDbContext> factory,
    TimeProvider clock, Microsoft.Extensions.Options.IOptions<Platform.Host.Infrastructure.PlatformOptions> options, ILogger<ScoringGrain> logger) : Grain, IScoringGrain
{
    public async Task<PointsAdjustment> AdjustPoints(string customerId, long points, string reason, string? key)
    {
        await using var db = await factory.CreateDbContextAsync();
        var customer = await Platform.Host.Customers.CustomerQueries.ResolveAsync(db, MerchantId, customerId, CancellationToken.None);
        if (customer is null) return new PointsAdjustment(404, null, $"customer '{customerId}' does not exist", null, null, 0, 0);
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.OpenConnectionAsync(db.Database);
        var result = await awards.AdjustAsync(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database),
            MerchantId, customer.Id, points, reason, key, clock.GetUtcNow(), CancellationToken.None);
        if (result.Status == 201) logger.LogInformation("Merchant {Merchant}: {Points} points for {Customer} by hand ({Reason})", MerchantId, points, customer.Id, reason);
        return result;
    }

    private string MerchantId => this.GetPrimaryKeyString();

    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;
    private DateTimeOffset? _pendingSince;

    /// <summary>
    /// Collects the customers and rescores them once the merchant's syncs have been quiet for
    /// <c>Platform:Value:RescoreQuietSeconds</c> (or after five minutes at the latest): a long backfill is rescored
    /// a few times, not after every identity batch.
    /// </summary>
    public Task ScoreSoon(IReadOnlyList<string> customers)
    {
        _pending.UnionWith(customers);
        _pendingSince ??= clock.GetUtcNow();
        var quiet = TimeSpan.FromSeconds(options.Value.Value.RescoreQuietSeconds);
        var due = clock.GetUtcNow() - _pendingSince.Value > MaxWait ? TimeSpan.Zero : quiet;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(RescorePendingAsync, new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
        return Task.CompletedTask;
    }

    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    private async Task RescorePendingAsync(CancellationToken ct)
    {
        if (_pending.Count == 0) return;
        var customers = _pending.ToList();
        _pending.Clear();
        _pendingSince = null;
        try
        {
            // CPU-heavy: off the activation's turn so other grains' turns are not held up behind it.
            await Task.Run(() => scoring.ScoreAsync(MerchantId, customers, CancellationToken.None), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The next full scoring covers them; the sync that asked must not fail for it.
            logger.LogError(e, "Merchant {Merchant}: rescoring {Customers} customers failed", MerchantId, customers.Count);
        }
    }

    public async Task<ScoringResult> ScoreAll(bool review)
    {
        _pending.Clear(); // everyone is scored now
        _pendingSince = null;
        return await Task.Run(() => scoring.ScoreAllAsync(MerchantId, review, CancellationToken.None));
    }

    public async Task<ScoringResult> Nightly()
    {
        await Task.Run(() => models.FitAsync(MerchantId, null, null, CancellationToken.None));
        return await ScoreAll(review: true);
    }
}

/// <summary>The scheduled full scoring (<c>Platform:Value:ScoringCron</c>): refit and rescore every merchant, with the tier review.</summary>
[DisallowConcurrentExecution]
public sealed class ScoringJob(IGrainFactory grains, Microsoft.EntityFrameworkCore.IDbContextFactory<PlatformDbContext> factory, ILogger<ScoringJob> logger) : IJob
{
    public static readonly JobKey Key = new("scoring", "value");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var merchants = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Merchants.Select(m => m.Id), cancellationToken);
        foreach (var merchant in await merchants)
        {
            try
            {
                await grains.GetGrain<IScoringGrain>(merchant).Nightly();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Merchant {Merchant}: the scheduled scoring failed", merchant);
            }
        }
    }
}
