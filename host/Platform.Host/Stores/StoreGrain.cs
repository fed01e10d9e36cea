using Orleans.Concurrency;
using Microsoft.EntityFrameworkCore;
using Platform.Abstractions;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Stores;

/// <summary>A run that was started or was already running.</summary>
[GenerateSerializer, Alias("Platform.SyncStart")]
public sealed record SyncStart([property: Id(0)] long Id, [property: Id(1)] string Stream, [property: Id(2)] bool AlreadyRunning);

/// <summary>The result of a connection check.</summary>
[GenerateSerializer, Alias("Platform.CheckOutcome")]
public sealed record CheckOutcome([property: Id(0)] bool Ok, [property: Id(1)] string Message);

/// <summary>One store (key <c>merchant/store</c>): the single place its syncs run, one at a time per stream.</summary>
[Alias("Platform.IStoreGrain")]
public interface IStoreGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts a run of <paramref name="stream"/> (all the plugin's streams when null). A stream already
    /// running returns its run; a scheduled fire time that already has a run starts nothing new.
    /// </summary>
    [Alias("Sync")] Task<SyncStart[]> Sync(string? stream, string trigger, DateTimeOffset? scheduledFor);

    /// <summary>Asks the connector whether credentials and reachability are fine.</summary>
    [Alias("Check")] Task<CheckOutcome> Check();

    /// <summary>Completes when the store's current runs have finished (for tests and admin tools).</summary>
    [Alias("WhenIdle")] Task WhenIdle();

    /// <summary>
    /// Wakes the store up on a host of the cluster: runs of a host that is gone are failed and resumed from their last
    /// committed page (that happens on every activation; this call only makes sure there is one).
    /// </summary>
    [Alias("Resume"), ResponseTimeout("00:00:05")] Task Resume();
}

[Reentrant]
public sealed class StoreGrain(
    IDbContextFactory<PlatformDbContext> factory,
    SyncRunner runner,
    ConnectorFactory connectors,
    ILogger<StoreGrain> logger) : Grain, IStoreGrain
{
    private readonly Dictionary<StreamName, (long RunId, Task Task)> _running = [];
    /// <summary>Streams whose run is being recorded (the grain is reentrant: a second Sync must not start another meanwhile).</summary>
    private readonly Dictionary<StreamName, Task<long?>> _starting = [];
    private List<string> _resume = [];
    /// <summary>The scheduled fire time of each stream's current (or starting) run, to tell a second host's trigger of the same time.</summary>
    private readonly Dictionary<StreamName, DateTimeOffset?> _runFor = [];
    private readonly CancellationTokenSource _stopping = new();
    private string MerchantId => Ids.ParseStoreKey(this.GetPrimaryKeyString()).MerchantId;
    private string StoreId => Ids.ParseStoreKey(this.GetPrimaryKeyString()).StoreId;

    public async Task<SyncStart[]> Sync(string? stream, string trigger, DateTimeOffset? scheduledFor)
    {
        var plugin = connectors.PluginOf(await LoadStoreAsync());
        StreamName[] streams;
        if (stream is null) streams = StreamNames.All.Where(plugin.Supports).ToArray();
        else if (StreamNames.TryParse(stream, out var one) && plugin.Supports(one)) streams = [one];
        else throw new ArgumentException($"plugin '{plugin.Manifest.Id}' does not read '{stream}': use one of {string.Join(", ", plugin.Manifest.Streams)}");

        var started = new List<SyncStart>();
        foreach (var s in streams)
        {
            if (_running.TryGetValue(s, out var current))
            {
                AlreadyRan(s, scheduledFor);
                started.Add(new SyncStart(current.RunId, s.ToWire(), true));
                continue;
            }
            if (_starting.TryGetValue(s, out var starting))
            {
                AlreadyRan(s, scheduledFor);
                if (await starting is { } id) started.Add(new SyncStart(id, s.ToWire(), true));
                continue;
            }
            var start = StartAsync(s, trigger, scheduledFor);
            _starting[s] = start;
            _runFor[s] = scheduledFor;
            long? runId;
            try
            {
                runId = await start;
            }
            finally
            {
                _starting.Remove(s);
            }
            // null: that fire time already has a run (this host's earlier, or another host's, per the unique index)
            if (runId is not { } newRun)
            {
                logger.LogDebug("Store {Store}: {Stream} already ran for {ScheduledFor:O}", this.GetPrimaryKeyString(), s.ToWire(), scheduledFor);
                continue;
            }
            _running[s] = (newRun, RunAsync(s, newRun));
            started.Add(new SyncStart(newRun, s.ToWire(), false));
        }
        return started.ToArray();
    }

    /// <summary>A trigger of the fire time the current run is for: every host of a cluster fires it; one run takes it.</summary>
    private void AlreadyRan(StreamName stream, DateTimeOffset? scheduledFor)
    {
        if (scheduledFor is not null && _runFor.GetValueOrDefault(stream) == scheduledFor)
            logger.LogDebug("Store {Store}: {Stream} already ran for {ScheduledFor:O} (its run is in progress)", this.GetPrimaryKeyString(), stream.ToWire(), scheduledFor);
    }

    private async Task<long?> StartAsync(StreamName stream, string trigger, DateTimeOffset? scheduledFor)
    {
        if (scheduledFor is not null && await HasRunForScheduleAsync(stream, scheduledFor.Value)) return null;
        return await runner.StartRunAsync(MerchantId, StoreId, stream, trigger, scheduledFor, _stopping.Token);
    }

    public Task Resume() => Task.CompletedTask;

    /// <summary>Starts again the streams whose runs a host that is gone left behind (found at activation).</summary>
    private async Task ResumeInterruptedAsync()
    {
        var streams = _resume;
        _resume = [];
        foreach (var stream in streams)
        {
            try
            {
                var store = await LoadStoreAsync();
                if (!store.Enabled) continue;
                await Sync(stream, "resume", null);
            }
            catch (Exception e) when (e is KeyNotFoundException or ArgumentException)
            {
                logger.LogInformation("Store {Store}: the interrupted {Stream} run is not resumed: {Reason}", this.GetPrimaryKeyString(), stream, e.Message);
            }
        }
    }

    private async Task RunAsync(StreamName stream, long runId)
    {
        await Task.Yield(); // let Sync return before the first page is read
        try
        {
            await runner.ExecuteAsync(MerchantId, StoreId, stream, runId, _stopping.Token);
        }
        finally
        {
            _running.Remove(stream);
        }
    }

    public async Task<CheckOutcome> Check()
    {
        var store = await LoadStoreAsync();
        var (plugin, connector) = connectors.Create(store);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var result = await connector.CheckAsync(timeout.Token);
            return new CheckOutcome(result.Ok, result.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            logger.LogWarning(e, "Check of {Store} failed", this.GetPrimaryKeyString());
            return new CheckOutcome(false, $"{plugin.Manifest.Name} could not be reached: {e.Message}");
        }
    }

    public Task WhenIdle() => Task.WhenAll(_running.Values.Select(r => r.Task).ToArray());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_running.Count > 0)
        {
            logger.LogInformation("Store {Store} deactivating ({Reason}) with {Count} run(s) in progress: stopping them at the next page", this.GetPrimaryKeyString(), reason.Description, _running.Count);
            await _stopping.CancelAsync();
            await Task.WhenAll(_running.Values.Select(r => r.Task)).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Nothing runs in this activation yet: every run of this store still marked running belongs to an activation
        // that is gone (its host died or left the cluster). Fail them, and resume their streams once active.
        var orphans = await runner.FailOrphanedRunsAsync(MerchantId, StoreId, cancellationToken);
        _resume = orphans.Select(o => o.Stream).Distinct().ToList();
        if (_resume.Count > 0)
            this.RegisterGrainTimer(_ => ResumeInterruptedAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
        // Keep the grain in memory while a long backfill runs without incoming calls.
        this.RegisterGrainTimer(() =>
        {
            if (_running.Count > 0) DelayDeactivation(TimeSpan.FromMinutes(5));
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { Interleave = true });
    }

    private async Task<StoreRow> LoadStoreAsync()
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Stores.FirstOrDefaultAsync(s => s.MerchantId == MerchantId && s.StoreId == StoreId)
            ?? throw new KeyNotFoundException($"store '{StoreId}' of merchant '{MerchantId}' does not exist");
    }

    private async Task<bool> HasRunForScheduleAsync(StreamName stream, DateTimeOffset scheduledFor)
    {
        await using var db = await factory.CreateDbContextAsync();
        var name = stream.ToWire();
        return await db.Runs.AnyAsync(r => r.MerchantId == MerchantId && r.StoreId == StoreId && r.Stream == name && r.ScheduledFor == scheduledFor);
    }
}
