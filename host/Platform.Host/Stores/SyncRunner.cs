using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Abstractions;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Stores;

/// <summary>Executes one run of one stream: connector pages in, committed in order, each with its checkpoint.</summary>
public sealed class SyncRunner(
    IDbContextFactory<PlatformDbContext> factory,
    ConnectorFactory connectors,
    IngestWriter writer,
    IGrainFactory grains,
    TimeProvider clock,
    IOptions<PlatformOptions> options,
    DatabaseInfo database,
    HostIdentity host,
    ILogger<SyncRunner> logger)
{
    /// <summary>
    /// Records a new run; null when the scheduled fire time already has a run (another host's, found by the unique
    /// index on (merchant, store, stream, scheduled fire time)): that fire time is done.
    /// </summary>
    public async Task<long?> StartRunAsync(string merchantId, string storeId, StreamName stream, string trigger, DateTimeOffset? scheduledFor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // The grain starts a run only when none of this stream is running, so a row still "running" is one whose end
        // could not be recorded (the database was away when it ended): it is failed now, not left running forever.
        var stream0 = stream.ToWire();
        var stale = await db.Runs.Where(r => r.MerchantId == merchantId && r.StoreId == storeId && r.Stream == stream0 && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Failed)
                .SetProperty(r => r.FinishedAt, clock.GetUtcNow())
                .SetProperty(r => r.Error, "interrupted: the database was unreachable when the run ended; this run resumes from the last committed page"), ct);
        if (stale > 0) logger.LogWarning("{Count} run(s) of {Merchant}/{Store} {Stream} could not record their end and are marked failed", stale, merchantId, storeId, stream0);
        var run = new RunRow
        {
            MerchantId = merchantId,
            StoreId = storeId,
            Stream = stream.ToWire(),
            Status = RunStatus.Running,
            Trigger = trigger,
            ScheduledFor = scheduledFor,
            StartedAt = clock.GetUtcNow(),
            Host = host.Name,
        };
        db.Runs.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (scheduledFor is not null && Sql.IsUniqueViolation(e))
        {
            logger.LogDebug("{Merchant}/{Store} {Stream} already ran for {ScheduledFor:O}", merchantId, storeId, stream.ToWire(), scheduledFor);
            return null;
        }
        return run.Id;
    }

    public async Task ExecuteAsync(string merchantId, string storeId, StreamName stream, long runId, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["merchant"] = merchantId, ["store"] = storeId, ["stream"] = stream.ToWire(), ["run"] = runId });
        // One span per run: the connector's HTTP calls and the host's own requests nest under it.
        using var activity = Platform.Host.Infrastructure.PlatformTelemetry.Source.StartActivity("sync run");
        activity?.SetTag("platform.merchant", merchantId).SetTag("platform.store", storeId).SetTag("platform.stream", stream.ToWire()).SetTag("platform.run", runId);
        var runStarted = clock.GetTimestamp();
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
            var sync = options.Value.Sync;
            await using var reader = new PageReader(connector.ReadAsync(stream, cursor, window, ct).GetAsyncEnumerator(ct), sync.ReadAheadPages,
                (e, page) => new ConnectorDataException($"{plugin.Manifest.Id} failed reading {stream.ToWire()} page {page}: {e.Message}"), ct);
            while (await reader.NextAsync(sync.MaxRecordsPerCommit) is { Count: > 0 } batch)
            {
                var started = clock.GetTimestamp();
                var result = await writer.WritePagesAsync(target, stream, batch, runId, clock.GetUtcNow(), ct);
                pages += batch.Count;
                Count(merchantId, storeId, stream, "inserted", result.Inserted);
                Count(merchantId, storeId, stream, "updated", result.Updated);
                Count(merchantId, storeId, stream, "skipped", result.Skipped);
                logger.LogDebug("Pages {First}-{Last}: {Read} read, {Inserted} inserted, {Updated} updated, {Skipped} skipped in {Ms:F0} ms",
                    pages - batch.Count + 1, pages, result.Read, result.Inserted, result.Updated, result.Skipped, clock.GetElapsedTime(started).TotalMilliseconds);
                // Profiles follow in batches: every few pages during a backfill, and at the end of the run.
                undispatched += result.BuyersChanged;
                if (undispatched >= options.Value.Sync.DispatchBatchSize)
                {
                    identity.DispatchFullBatches().Ignore();
                    undispatched = 0;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = $"interrupted after {pages} page(s) because the host stopped; the next run resumes from the last committed page";
            if (options.Value.Cluster.IsRedis)
            {
                // A cluster goes on without this host: the run stays "running" under this host's name, and the host that
                // takes the store over (once this one has left) fails it and resumes from its last committed page.
                logger.LogInformation("Run {RunId} of {Merchant}/{Store} {Stream} stopped after {Pages} page(s) for this host's shutdown; another host resumes it", runId, merchantId, storeId, stream.ToWire(), pages);
                return;
            }
        }
        catch (Exception e) when (e is ConnectorDataException or StoreConfigurationException)
        {
            error = e.Message;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or DbUpdateException)
        {
            logger.LogError(e, "Run {RunId} failed: the database could not be used", runId);
            error = ReadOnlyFile() is { } file
                ? $"the database file {file} became read-only after {pages} page(s) ({e.Message}): give the host write access to it, and the next run resumes from the last committed page"
                : NoRoom(e)
                ? $"the database is full after {pages} page(s): there is no room to write it (the disk is full or a file size limit was reached: {e.Message}); free space, and the next run resumes from the last committed page"
                : $"the database could not be used after {pages} page(s) ({e.GetType().Name}: {e.Message}); the next run resumes from the last committed page";
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", runId);
            error = $"{e.GetType().Name}: {e.Message}";
        }
        await FinishAsync(runId, error);
        var tags = new TagList { { "platform.store", $"{merchantId}/{storeId}" }, { "platform.stream", stream.ToWire() }, { "platform.status", error is null ? RunStatus.Succeeded : RunStatus.Failed } };
        Platform.Host.Infrastructure.PlatformTelemetry.RunDuration.Record(clock.GetElapsedTime(runStarted).TotalSeconds, tags);
        if (error is not null)
        {
            Platform.Host.Infrastructure.PlatformTelemetry.RunFailures.Add(1, tags);
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }
        grains.GetGrain<IIdentityGrain>(merchantId).DispatchSoon().Ignore(); // whatever the last pages left, failed runs included
        if (error is null) logger.LogInformation("Run {RunId} of {Merchant}/{Store} {Stream} succeeded after {Pages} page(s)", runId, merchantId, storeId, stream.ToWire(), pages);
        else logger.LogWarning("Run {RunId} of {Merchant}/{Store} {Stream} failed: {Error}", runId, merchantId, storeId, stream.ToWire(), error);
    }

    /// <summary>The SQLite file (or its write-ahead log) when the host can no longer open it for writing, else null.</summary>
    private string? ReadOnlyFile()
    {
        if (!database.IsSqlite) return null;
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        foreach (var path in new[] { file, file + "-wal" })
        {
            try
            {
                if (File.Exists(path)) using (File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete)) { }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>SQLITE_FULL, or a write refused by the system (EFBIG past a file size limit comes back as SQLITE_IOERR_WRITE).</summary>
    private static bool NoRoom(Exception e) =>
        e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } or Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 778 }
        || e.InnerException is { } inner && NoRoom(inner);

    private static void Count(string merchant, string store, StreamName stream, string outcome, int n)
    {
        if (n > 0)
            Platform.Host.Infrastructure.PlatformTelemetry.Records.Add(n,
                new TagList { { "platform.merchant", merchant }, { "platform.store", store }, { "platform.stream", stream.ToWire() }, { "platform.outcome", outcome } });
    }

    /// <summary>The store's <c>country</c> setting, if its plugin has one: how to read phone numbers without a prefix.</summary>
    private static string? StoreCountry(StoreRow store)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(store.SettingsJson);
        return doc.RootElement.TryGetProperty("country", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
    }

    /// <summary>How long a run keeps trying to record its end while the database is unreachable.</summary>
    private static readonly TimeSpan FinishPatience = TimeSpan.FromSeconds(90);

    private async Task FinishAsync(long runId, string? error)
    {
        // Not cancellable: the outcome of a run is recorded even while the host stops. A database that is away (a
        // PostgreSQL restart) is waited for a while; after that the next run of the stream fails this one (StartRunAsync).
        var finishedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        for (var delay = TimeSpan.FromMilliseconds(250); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)))
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
                await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, error is null ? RunStatus.Succeeded : RunStatus.Failed)
                    .SetProperty(r => r.FinishedAt, finishedAt)
                    .SetProperty(r => r.Error, error), CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or DbUpdateException or InvalidOperationException)
            {
                if (clock.GetElapsedTime(started) > FinishPatience)
                {
                    logger.LogError(e, "Run {RunId} could not record its end ({Outcome}); the next run of the stream marks it failed", runId, error ?? "succeeded");
                    return;
                }
                logger.LogWarning("Run {RunId} cannot record its end yet ({Message}); trying again in {Delay} ms", runId, e.Message, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, clock);
            }
        }
    }

    /// <summary>
    /// Runs of this store left "running" by an activation that is gone (a host that died or left the cluster): failed,
    /// and their streams returned for resuming. Called when the store's grain activates, before it starts any run, so
    /// every run still marked running is someone else's.
    /// </summary>
    public async Task<IReadOnlyList<(long RunId, string Stream, string? Host)>> FailOrphanedRunsAsync(string merchantId, string storeId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var orphans = await db.Runs.Where(r => r.MerchantId == merchantId && r.StoreId == storeId && r.Status == RunStatus.Running)
            .Select(r => new { r.Id, r.Stream, r.Host }).ToListAsync(ct);
        foreach (var o in orphans)
            await db.Runs.Where(r => r.Id == o.Id && r.Status == RunStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Failed)
                .SetProperty(r => r.FinishedAt, clock.GetUtcNow())
                .SetProperty(r => r.Error, $"interrupted: host {o.Host ?? "(unknown)"} stopped during the run; resumed from the last committed page by host {host.Name}"), ct);
        if (orphans.Count > 0) logger.LogWarning("{Merchant}/{Store}: {Count} run(s) of hosts that are gone are marked failed and resumed here", merchantId, storeId, orphans.Count);
        return orphans.Select(o => (o.Id, o.Stream, o.Host)).ToList();
    }

    /// <summary>Stores with runs marked running by hosts that are no longer in the cluster (their store grains resume them).</summary>
    public async Task<IReadOnlyList<(string MerchantId, string StoreId)>> StoresWithOrphanedRunsAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var running = await db.Runs.Where(r => r.Status == RunStatus.Running).Select(r => new { r.MerchantId, r.StoreId, r.Host }).ToListAsync(ct);
        return running.Where(r => !host.IsAlive(r.Host)).Select(r => (r.MerchantId, r.StoreId)).Distinct().ToList();
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
/// Reads a connector's pages ahead of the writer: while pages are being committed, the next ones are already being
/// fetched (for a real marketplace the HTTP round trips overlap the database writes). Pages come out in the
/// connector's order and a page is never committed before the pages in front of it, so checkpoints stay in order;
/// a page read ahead but not committed when the run stops is simply read again next time. A read error surfaces
/// after the pages read before it, which are committed first.
/// </summary>
internal sealed class PageReader : IAsyncDisposable
{
    private readonly IAsyncEnumerator<RecordPage> _pages;
    private readonly Func<Exception, int, Exception> _describe;
    private readonly System.Threading.Channels.Channel<RecordPage> _ready;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pump;
    private int _read;

    public PageReader(IAsyncEnumerator<RecordPage> pages, int readAhead, Func<Exception, int, Exception> describe, CancellationToken ct)
    {
        _pages = pages;
        _describe = describe;
        _ready = System.Threading.Channels.Channel.CreateBounded<RecordPage>(new System.Threading.Channels.BoundedChannelOptions(readAhead)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>
    /// The next page and any further pages already fetched, up to <paramref name="maxRecords"/> records in all (at
    /// least one page); empty when the connector has no more pages.
    /// </summary>
    public async Task<IReadOnlyList<RecordPage>> NextAsync(int maxRecords)
    {
        if (!await _ready.Reader.WaitToReadAsync(_stop.Token)) return [];
        var batch = new List<RecordPage>();
        var records = 0;
        while (records < maxRecords && _ready.Reader.TryPeek(out var page) && (batch.Count == 0 || records + page.Records.Count <= maxRecords))
        {
            _ready.Reader.TryRead(out _);
            batch.Add(page);
            records += page.Records.Count;
        }
        return batch;
    }

    private async Task PumpAsync()
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var page = ++_read;
                bool more;
                try
                {
                    more = await _pages.MoveNextAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw _describe(e, page);
                }
                if (!more) break;
                await _ready.Writer.WriteAsync(_pages.Current, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the run (finished, failed or cancelled): nothing to report from here.
        }
        catch (Exception e)
        {
            failure = e;
        }
        _ready.Writer.TryComplete(failure);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump; // never throws: the pump reports through the channel
        await _pages.DisposeAsync();
        _stop.Dispose();
    }
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
