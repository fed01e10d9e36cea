using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Abstractions;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Stores;

/// <summary>Executes one run of one stream: connector pages in, one transaction per page.</summary>
public sealed class SyncRunner(
    IDbContextFactory<PlatformDbContext> factory,
    ConnectorFactory connectors,
    IngestWriter writer,
    IGrainFactory grains,
    TimeProvider clock,
    IOptions<PlatformOptions> options,
    ILogger<SyncRunner> logger)
{
    public async Task<long> StartRunAsync(string merchantId, string storeId, StreamName stream, string trigger, DateTimeOffset? scheduledFor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var run = new RunRow
        {
            MerchantId = merchantId,
            StoreId = storeId,
            Stream = stream.ToWire(),
            Status = RunStatus.Running,
            Trigger = trigger,
            ScheduledFor = scheduledFor,
            StartedAt = clock.GetUtcNow(),
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct);
        return run.Id;
    }

    public async Task ExecuteAsync(string merchantId, string storeId, StreamName stream, long runId, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["merchant"] = merchantId, ["store"] = storeId, ["stream"] = stream.ToWire(), ["run"] = runId });
        string? error = null;
        var pages = 0;
        try
        {
            StoreRow store;
            CursorRow? cursorRow;
            DateTimeOffset startedAt;
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                store = await db.Stores.FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.StoreId == storeId, ct)
                    ?? throw new StoreConfigurationException($"store '{storeId}' was deleted");
                cursorRow = await db.Cursors.FirstOrDefaultAsync(c => c.MerchantId == merchantId && c.StoreId == storeId && c.Stream == stream.ToWire(), ct);
                startedAt = (await db.Runs.FirstAsync(r => r.Id == runId, ct)).StartedAt;
            }
            var (plugin, connector) = connectors.Create(store);
            var cursor = cursorRow?.CursorJson is { } json ? new StreamCursor(json) : null;
            var window = new ReadWindow(cursorRow?.Since ?? store.Since, startedAt.AddSeconds(-options.Value.Sync.SafetyLagSeconds));
            var target = new IngestTarget(merchantId, storeId, plugin.Manifest.Id, StoreCountry(store));
            var identity = grains.GetGrain<IIdentityGrain>(merchantId);

            var undispatched = 0;
            await using var reader = new PageReader(connector.ReadAsync(stream, cursor, window, ct).GetAsyncEnumerator(ct),
                (e, page) => new ConnectorDataException($"{plugin.Manifest.Id} failed reading {stream.ToWire()} page {page}: {e.Message}"));
            while (await reader.NextAsync() is { } page)
            {
                var started = clock.GetTimestamp();
                var result = await writer.WritePageAsync(target, stream, page, runId, clock.GetUtcNow(), ct);
                pages++;
                logger.LogDebug("Page {Page}: {Read} read, {Inserted} inserted, {Updated} updated, {Skipped} skipped in {Ms:F0} ms",
                    pages, result.Read, result.Inserted, result.Updated, result.Skipped, clock.GetElapsedTime(started).TotalMilliseconds);
                // Profiles follow in batches: every few pages during a backfill, and at the end of the run.
                undispatched += result.BuyersChanged;
                if (undispatched >= options.Value.Sync.DispatchBatchSize)
                {
                    identity.DispatchSoon().Ignore();
                    undispatched = 0;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = $"interrupted after {pages} page(s) because the host stopped; the next run resumes from the last committed page";
        }
        catch (Exception e) when (e is ConnectorDataException or StoreConfigurationException)
        {
            error = e.Message;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", runId);
            error = $"{e.GetType().Name}: {e.Message}";
        }
        await FinishAsync(runId, error);
        grains.GetGrain<IIdentityGrain>(merchantId).DispatchSoon().Ignore(); // whatever the last pages left, failed runs included
        if (error is null) logger.LogInformation("Run {RunId} of {Merchant}/{Store} {Stream} succeeded after {Pages} page(s)", runId, merchantId, storeId, stream.ToWire(), pages);
        else logger.LogWarning("Run {RunId} of {Merchant}/{Store} {Stream} failed: {Error}", runId, merchantId, storeId, stream.ToWire(), error);
    }

    /// <summary>The store's <c>country</c> setting, if its plugin has one: how to read phone numbers without a prefix.</summary>
    private static string? StoreCountry(StoreRow store)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(store.SettingsJson);
        return doc.RootElement.TryGetProperty("country", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
    }

    private async Task FinishAsync(long runId, string? error)
    {
        // Not cancellable: the outcome of a run is recorded even while the host stops.
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, error is null ? RunStatus.Succeeded : RunStatus.Failed)
            .SetProperty(r => r.FinishedAt, clock.GetUtcNow())
            .SetProperty(r => r.Error, error), CancellationToken.None);
    }

    /// <summary>Runs left "running" by a host that died are failed at start-up; their cursors are at the last committed page.</summary>
    public async Task FailInterruptedRunsAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var n = await db.Runs.Where(r => r.Status == RunStatus.Running).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RunStatus.Failed)
            .SetProperty(r => r.FinishedAt, clock.GetUtcNow())
            .SetProperty(r => r.Error, "interrupted: the host stopped during the run; the next run resumes from the last committed page"), ct);
        if (n > 0) logger.LogWarning("{Count} run(s) were interrupted by the previous shutdown and are marked failed", n);
    }
}

/// <summary>
/// Reads a connector's pages one ahead: while page N is being committed, page N+1 is already being fetched (for a
/// real marketplace, the HTTP round trip overlaps the database write). A page read ahead is never committed before
/// the pages in front of it, so checkpoints stay in order; after a crash it is simply read again.
/// </summary>
internal sealed class PageReader(IAsyncEnumerator<RecordPage> pages, Func<Exception, int, Exception> describe) : IAsyncDisposable
{
    private Task<RecordPage?>? _ahead;
    private int _read;

    public async Task<RecordPage?> NextAsync()
    {
        var current = await (_ahead ?? ReadAsync());
        _ahead = current is null ? null : Task.Run(ReadAsync);
        return current;
    }

    private async Task<RecordPage?> ReadAsync()
    {
        var page = ++_read;
        try
        {
            return await pages.MoveNextAsync() ? pages.Current : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw describe(e, page);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ahead is not null)
            try { await _ahead; } catch { /* the run's outcome is already decided; only wait for the read to stop */ }
        await pages.DisposeAsync();
    }
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
