using Orleans.Concurrency;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Crm.Identity;
using Platform.Crm.Text;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Customers;

/// <summary>
/// The identity graph of one merchant (key: merchant id). Consumes the outbox in batches: resolves the
/// changed buyer accounts to customers (merging connected components), then recomputes the touched
/// customers' projections set-based, all in one transaction per batch. One grain call per batch, never per record.
/// </summary>
[Alias("Platform.IIdentityGrain")]
public interface IIdentityGrain : IGrainWithStringKey
{
    /// <summary>Processes the outbox until it is empty; returns the number of buyer events applied.</summary>
    [Alias("Dispatch")] Task<int> Dispatch();

    /// <summary>Asks for a dispatch without waiting for it.</summary>
    [Alias("DispatchSoon"), OneWay] Task DispatchSoon();

    /// <summary>
    /// Asks for full batches only (a run still syncing): what is left over waits for the run's end, so a long
    /// backfill recomputes each customer once per batch rather than once per few pages.
    /// </summary>
    [Alias("DispatchFullBatches"), OneWay] Task DispatchFullBatches();

    /// <summary>Merges two customers by hand (the younger into the older).</summary>
    [Alias("Merge")] Task<IdentityOutcome> Merge(string customerId, string otherId);

    /// <summary>Moves the accounts holding <paramref name="identities"/> to a new customer, never to be linked again automatically.</summary>
    [Alias("Split")] Task<IdentityOutcome> Split(string customerId, IReadOnlyList<IdentityRef> identities);

    /// <summary>Erases a person and leaves tombstones so later syncs do not bring their records back.</summary>
    [Alias("Erase")] Task<IdentityOutcome> Erase(string customerId);

    /// <summary>
    /// Fills what a database from before search and possible duplicates lacks (accounts' name keys, customers'
    /// search rows); finds nothing to do on a database kept up to date. Returns the rows it filled.
    /// </summary>
    [Alias("Backfill")] Task<int> Backfill();

    /// <summary>
    /// Re-runs resolution over every stored buyer account (after the pending outbox): the graph is re-read from the
    /// database, every account resolved against it again, and every customer's projection recomputed. Manual merges,
    /// splits and erasures stay as they are; merges are never undone.
    /// </summary>
    [Alias("Rebuild"), ResponseTimeout("00:30:00")] Task<IdentityRebuild> Rebuild();
}

/// <summary>What an identity rebuild did.</summary>
[GenerateSerializer, Immutable, Alias("Platform.IdentityRebuild")]
public sealed record IdentityRebuild(
    [property: Id(0)] bool Enabled,
    [property: Id(1)] int PendingEventsApplied,
    [property: Id(2)] int Accounts,
    [property: Id(3)] int CustomersCreated,
    [property: Id(4)] int Merges,
    [property: Id(5)] int AccountsReassigned,
    [property: Id(6)] int CustomersRecomputed,
    [property: Id(7)] double Seconds);

/// <summary>An identity as the profile lists it: kind (email|phone|buyer), value, store.</summary>
[GenerateSerializer, Immutable, Alias("Platform.IdentityRef")]
public sealed record IdentityRef([property: Id(0)] string? Kind, [property: Id(1)] string? Value, [property: Id(2)] string? Store);

/// <summary>What a manual identity command did: 200 with the customers and counts, or 400/404 with the reason.</summary>
[GenerateSerializer, Immutable, Alias("Platform.IdentityOutcome")]
public sealed record IdentityOutcome(
    [property: Id(0)] int Status,
    [property: Id(1)] string? Error,
    [property: Id(2)] string? Field,
    [property: Id(3)] string? Customer,
    [property: Id(4)] string? Other,
    [property: Id(5)] Dictionary<string, int>? Counts)
{
    public static IdentityOutcome Ok(string customer, string? other = null, Dictionary<string, int>? counts = null) => new(200, null, null, customer, other, counts);
    public static IdentityOutcome Invalid(string field, string error) => new(400, error, field, null, null, null);
    public static IdentityOutcome NotFound(string error) => new(404, error, null, null, null, null);
}

public sealed class IdentityGrain(
    IDbContextFactory<PlatformDbContext> factory,
    CustomerProjector projector,
    WriteGate gate,
    TimeProvider clock,
    IOptions<PlatformOptions> options,
    ILogger<IdentityGrain> logger) : Grain, IIdentityGrain
{
    private readonly ChannelScope _scope = new(options.Value.Identity.RelayEmailPatterns, options.Value.Identity.RelayPhonePatterns);
    private IdentityGraph _graph = new();
    private bool _loaded;
    private string MerchantId => this.GetPrimaryKeyString();

    public async Task DispatchSoon() => await Dispatch();

    public async Task DispatchFullBatches() => await DispatchAsync(fullBatchesOnly: true);

    public Task<int> Dispatch() => DispatchAsync(fullBatchesOnly: false);

    private async Task<int> DispatchAsync(bool fullBatchesOnly)
    {
        if (!options.Value.Identity.Enabled) return 0;
        if (!_loaded) await LoadAsync();
        // Only the events already there: a drain must not chase a run that keeps syncing, splitting its events
        // into many small batches (the run asks for its own batches, and for the rest at its end).
        long? upTo;
        await using (var db = await factory.CreateDbContextAsync())
            upTo = await db.Outbox.Where(o => o.MerchantId == MerchantId).MaxAsync(o => (long?)o.Id);
        if (upTo is null) return 0;
        var total = 0;
        try
        {
            while (true)
            {
                var batch = options.Value.Sync.DispatchBatchSize;
                var applied = await DispatchBatchAsync(batch, fullBatchesOnly, upTo.Value);
                if (applied == 0) break;
                total += applied;
            }
        }
        catch
        {
            // The in-memory graph may be ahead of the database now: rebuild it from the database next time.
            _graph = new IdentityGraph();
            _loaded = false;
            throw;
        }
        return total;
    }

    private async Task LoadAsync()
    {
        await using var db = await factory.CreateDbContextAsync();
        var graph = new IdentityGraph();
        await foreach (var k in db.CustomerKeys.Where(k => k.MerchantId == MerchantId).AsAsyncEnumerable())
            graph.LoadKey(k.Key, CustomerIds.Sequence(k.CustomerId));
        await foreach (var c in db.Customers.Where(c => c.MerchantId == MerchantId).Select(c => new { c.Sequence, c.MergedInto }).AsAsyncEnumerable())
        {
            graph.LoadCustomer(c.Sequence);
            if (c.MergedInto is not null) graph.LoadMerge(c.Sequence, CustomerIds.Sequence(c.MergedInto));
        }
        _graph = graph;
        _loaded = true;
    }

    /// <summary>Applies the oldest <paramref name="batchSize"/> events up to <paramref name="upTo"/> (fewer only when <paramref name="fullBatchOnly"/> is false).</summary>
    private async Task<int> DispatchBatchAsync(int batchSize, bool fullBatchOnly, long upTo)
    {
        var started = clock.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync();
        var maxId = await db.Outbox.Where(o => o.MerchantId == MerchantId && o.Id <= upTo).OrderBy(o => o.Id).Skip(batchSize - 1).Select(o => (long?)o.Id).FirstOrDefaultAsync();
        if (maxId is null && fullBatchOnly) return 0;
        maxId ??= upTo;
        var events = await db.Outbox.CountAsync(o => o.MerchantId == MerchantId && o.Id <= maxId);
        if (events == 0) return 0;
        // The changed accounts, outbox first then each account by its key (CROSS JOIN fixes that order in SQLite).
        // (DISTINCT on the two key columns first: DISTINCT b.* would sort whole buyer rows.)
        var buyers = await db.Buyers.FromSqlRaw(SqlDialect.For(db.Database, """
            SELECT b.* FROM (SELECT DISTINCT store_id, buyer_id FROM outbox WHERE merchant_id = {0} AND id <= {1}) o
            CROSS JOIN buyers b ON b.merchant_id = {0} AND b.store_id = o.store_id AND b.buyer_id = o.buyer_id
            """), MerchantId, maxId.Value).AsNoTracking().ToListAsync();
        var read = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var (touched, created, merges, resolved) = await ResolveAndWriteAsync(conn, buyers, now);
        var written = clock.GetTimestamp();

        // Reading the touched customers' orders needs no write lock; only the updates and the outbox do. A page
        // committed meanwhile has its own, later outbox events, so its customers are recomputed in the next batch.
        // A crash before the second commit replays these events: resolution is idempotent, stats are recomputed.
        var recomputed = touched.ToList();
        await RecomputeAsync(conn, recomputed, now,
            tx2 => Sql.ExecAsync(conn, tx2, "DELETE FROM outbox WHERE merchant_id = @m AND id <= @max", ("@m", MerchantId), ("@max", maxId)));
        await GrainFactory.GetGrain<Platform.Host.Value.IScoringGrain>(MerchantId).ScoreSoon(recomputed);
        logger.LogDebug("Merchant {Merchant}: {Events} buyer events, {Customers} customers recomputed, {Created} created, {Merges} merges in {Ms:F0} ms " +
                        "(read {Read:F0}, resolve {Resolve:F0}, write {Write:F0}, recompute {Recompute:F0})",
            MerchantId, events, touched.Count, created, merges, clock.GetElapsedTime(started).TotalMilliseconds,
            clock.GetElapsedTime(started, read).TotalMilliseconds, clock.GetElapsedTime(read, resolved).TotalMilliseconds,
            clock.GetElapsedTime(resolved, written).TotalMilliseconds, clock.GetElapsedTime(written).TotalMilliseconds);
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Write lock so far: {Totals}", string.Join("; ", gate.Totals().Select(t => $"{t.Key} waited {t.Value.WaitedMs:F0} ms, held {t.Value.HeldMs:F0} ms, {t.Value.Times}×")));
        return events;
    }

    /// <summary>
    /// Resolves <paramref name="buyers"/> against the graph and writes the outcome in one transaction: new customers,
    /// merges, keys, accounts' customers. Returns the customers to recompute and what was done.
    /// </summary>
    private async Task<(HashSet<string> Touched, int Created, int Merges, long Resolved)> ResolveAndWriteAsync(DbConnection conn, List<BuyerRow> buyers, DateTimeOffset now)
    {
        // A deterministic order: the grouping does not depend on it, but ids and merge reasons read the same on replay.
        buyers.Sort(InResolutionOrder);

        var created = new List<long>();
        var addedKeys = new List<(string Key, long Customer)>();
        var merges = new List<Merge>();
        var assignments = new List<(BuyerRow Buyer, long Customer)>();
        foreach (var b in buyers)
        {
            var r = _graph.Add(KeysOf(b), $"{b.Marketplace} store {b.StoreId}");
            if (r.Created) created.Add(r.Customer);
            addedKeys.AddRange(r.AddedKeys.Select(k => (k, r.Customer)));
            merges.AddRange(r.Merges);
            assignments.Add((b, r.Customer));
        }

        var resolved = clock.GetTimestamp();
        using var writing = await gate.EnterAsync(CancellationToken.None);
        await using var tx = await conn.BeginTransactionAsync();
        var writes = new IdentityWrites(conn, tx, MerchantId, now);
        foreach (var seq in created) await writes.CreateCustomerAsync(seq);
        foreach (var m in merges)
        {
            await writes.MergeAsync(m);
            logger.LogInformation("Merchant {Merchant}: merged {From} into {Into} ({Reason})", MerchantId, CustomerIds.Of(m.From), CustomerIds.Of(m.Into), m.Reason);
        }
        await writes.AddKeysAsync(addedKeys.Select(k => (k.Key, CustomerIds.Of(_graph.Survivor(k.Customer)))));
        var touched = new HashSet<string>(StringComparer.Ordinal);
        await using (var assign = Sql.Prepare(conn, tx, "UPDATE buyers SET customer_id = @c WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b", "@m", "@s", "@b", "@c"))
            foreach (var (b, c) in assignments)
            {
                var id = CustomerIds.Of(_graph.Survivor(c));
                touched.Add(id);
                if (b.CustomerId == id) continue;
                if (b.CustomerId is { } previous) touched.Add(previous);
                Sql.Run(assign, ("@m", MerchantId), ("@s", b.StoreId), ("@b", b.BuyerId), ("@c", id));
            }
        foreach (var m in merges) touched.Add(CustomerIds.Of(m.From));
        await tx.CommitAsync();
        return (touched, created.Count, merges.Count, resolved);
    }

    private static int InResolutionOrder(BuyerRow a, BuyerRow b) =>
        a.FirstSeenAt != b.FirstSeenAt ? a.FirstSeenAt.CompareTo(b.FirstSeenAt) : string.CompareOrdinal(a.StoreId + "\0" + a.BuyerId, b.StoreId + "\0" + b.BuyerId);

    public async Task<IdentityRebuild> Rebuild()
    {
        var started = clock.GetTimestamp();
        if (!options.Value.Identity.Enabled) return new IdentityRebuild(false, 0, 0, 0, 0, 0, 0, 0);
        var applied = await Dispatch();
        await LoadAsync(); // from the database, whatever this activation held
        await using var db = await factory.CreateDbContextAsync();
        var buyers = await db.Buyers.Where(b => b.MerchantId == MerchantId).AsNoTracking().ToListAsync();
        buyers.Sort(InResolutionOrder);
        var before = buyers.ToDictionary(b => (b.StoreId, b.BuyerId), b => b.CustomerId);
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var now = clock.GetUtcNow();
        var (created, merges) = (0, 0);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var chunk in buyers.Chunk(Math.Max(1, options.Value.Sync.DispatchBatchSize)))
            {
                var r = await ResolveAndWriteAsync(conn, [.. chunk], now);
                created += r.Created;
                merges += r.Merges;
                touched.UnionWith(r.Touched);
            }
        }
        catch
        {
            _graph = new IdentityGraph();
            _loaded = false;
            throw;
        }
        var after = await db.Buyers.Where(b => b.MerchantId == MerchantId).AsNoTracking().Select(b => new { b.StoreId, b.BuyerId, b.CustomerId }).ToListAsync();
        var moved = after.Where(b => before.TryGetValue((b.StoreId, b.BuyerId), out var was) && was != b.CustomerId).ToList();
        var reassigned = moved.Count;
        // Every live customer, not only the ones that changed: stats, names and search rows from their accounts as they are now.
        var live = await db.Customers.Where(c => c.MerchantId == MerchantId && c.MergedInto == null).Select(c => c.Id).ToListAsync();
        foreach (var chunk in live.Union(touched, StringComparer.Ordinal).Chunk(5_000)) await RecomputeAsync(conn, chunk, now, null);
        // The customers whose accounts changed are rescored as after a sync (a full scoring: POST /recompute).
        var liveSet = live.ToHashSet(StringComparer.Ordinal);
        var changed = moved.Select(b => b.CustomerId).Concat(moved.Select(b => before[(b.StoreId, b.BuyerId)]))
            .OfType<string>().Where(liveSet.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (changed.Count > 0) await GrainFactory.GetGrain<Platform.Host.Value.IScoringGrain>(MerchantId).ScoreSoon(changed);
        var seconds = clock.GetElapsedTime(started).TotalSeconds;
        logger.LogInformation("Merchant {Merchant}: identity rebuilt over {Accounts} accounts in {Seconds:F1} s: {Merges} merges, {Created} customers created, {Reassigned} accounts reassigned, {Customers} customers recomputed",
            MerchantId, buyers.Count, seconds, merges, created, reassigned, live.Count);
        return new IdentityRebuild(true, applied, buyers.Count, created, merges, reassigned, live.Count, Math.Round(seconds, 3));
    }

    /// <summary>Applies what is pending in the outbox, so a manual command sees every account synced so far.</summary>
    private async Task CatchUpAsync()
    {
        await Dispatch();
        if (!_loaded) await LoadAsync();
    }

    private IReadOnlyList<string> KeysOf(BuyerRow b) =>
        IdentityKeys.Of(new Account(b.Marketplace, b.StoreId, b.BuyerId, b.Email, b.Phone, b.EmailRaw, b.PhoneRaw, b.SplitGroup), _scope);

    public async Task<IdentityOutcome> Merge(string customerId, string otherId)
    {
        if (string.IsNullOrWhiteSpace(otherId)) return IdentityOutcome.Invalid("other", "name the customer id to merge with, e.g. {\"other\": \"c42\"}");
        if (string.Equals(customerId, otherId, StringComparison.Ordinal)) return IdentityOutcome.Invalid("other", "a customer cannot be merged with itself");
        await CatchUpAsync();
        await using var db = await factory.CreateDbContextAsync();
        var a = await CustomerQueries.ResolveAsync(db, MerchantId, customerId, CancellationToken.None);
        if (a is null) return IdentityOutcome.NotFound($"customer '{customerId}' does not exist");
        var b = await CustomerQueries.ResolveAsync(db, MerchantId, otherId, CancellationToken.None);
        if (b is null) return IdentityOutcome.Invalid("other", $"customer '{otherId}' does not exist in merchant '{MerchantId}'");
        if (a.Id == b.Id) return IdentityOutcome.Invalid("other", $"'{customerId}' and '{otherId}' are already one customer ({a.Id})");

        var merge = _graph.MergeByHand(a.Sequence, b.Sequence, "merged by hand");
        await WriteAsync(db, async writes => await writes.MergeAsync(merge), [CustomerIds.Of(merge.Into), CustomerIds.Of(merge.From)]);
        logger.LogInformation("Merchant {Merchant}: merged {From} into {Into} by hand", MerchantId, CustomerIds.Of(merge.From), CustomerIds.Of(merge.Into));
        return IdentityOutcome.Ok(CustomerIds.Of(merge.Into), CustomerIds.Of(merge.From));
    }

    public async Task<IdentityOutcome> Split(string customerId, IReadOnlyList<IdentityRef> identities)
    {
        if (identities.Count == 0) return IdentityOutcome.Invalid("identities", "name at least one identity of the customer: [{\"kind\", \"value\", \"store\"}] as the profile lists them");
        await CatchUpAsync();
        await using var db = await factory.CreateDbContextAsync();
        var customer = await CustomerQueries.ResolveAsync(db, MerchantId, customerId, CancellationToken.None);
        if (customer is null) return IdentityOutcome.NotFound($"customer '{customerId}' does not exist");
        var accounts = await db.Buyers.Where(x => x.MerchantId == MerchantId && x.CustomerId == customer.Id).ToListAsync();
        var moved = new HashSet<BuyerRow>();
        for (var i = 0; i < identities.Count; i++)
        {
            var (kind, value, store) = (identities[i].Kind, identities[i].Value?.Trim(), identities[i].Store);
            if (kind is not ("email" or "phone" or "buyer")) return IdentityOutcome.Invalid($"identities[{i}].kind", $"'{kind}' is not an identity kind: use email, phone or buyer");
            if (string.IsNullOrEmpty(value)) return IdentityOutcome.Invalid($"identities[{i}].value", "is empty");
            if (value.Length > 512) return IdentityOutcome.Invalid($"identities[{i}].value", $"is {value.Length} characters long; identities are at most 512");
            if (string.IsNullOrEmpty(store)) return IdentityOutcome.Invalid($"identities[{i}].store", "is empty: name the store the identity was seen in");
            var holders = accounts.Where(x => x.StoreId == store && kind switch
            {
                "buyer" => x.BuyerId == value,
                "email" => x.Email == value || x.EmailRaw == value || x.Email == IdentifierNormalizer.NormalizeEmail(value),
                _ => x.Phone == value || x.PhoneRaw == value,
            }).ToList();
            if (holders.Count == 0) return IdentityOutcome.Invalid($"identities[{i}]", $"customer {customer.Id} has no {kind} '{value}' in store '{store}'");
            moved.UnionWith(holders);
        }
        var remaining = accounts.Where(x => !moved.Contains(x)).ToList();
        if (remaining.Count == 0) return IdentityOutcome.Invalid("identities", $"these are all of {customer.Id}'s identities: a split must leave at least one with the customer");

        var group = "g" + Guid.NewGuid().ToString("N")[..12];
        var movedKeys = moved.SelectMany(x => KeysOf(BuyerRowView(x, group))).Distinct().ToList();
        var remainingKeys = remaining.SelectMany(KeysOf).Distinct().ToList();
        var created = CustomerIds.Of(_graph.Split(customer.Sequence, remainingKeys, movedKeys));
        var what = string.Join(", ", moved.Select(x => $"{x.Marketplace} store {x.StoreId} buyer {x.BuyerId}"));
        await WriteAsync(db, async writes =>
        {
            await writes.CreateCustomerAsync(CustomerIds.Sequence(created));
            await writes.MoveAccountsAsync(moved, created, group);
            await writes.ReplaceKeysAsync(customer.Id, remainingKeys);
            await writes.AddKeysAsync(movedKeys.Select(k => (k, created)));
            await writes.EventAsync(customer.Id, "split", $"Split {what} off into {created} by hand; they will not be linked to {customer.Id} again automatically");
            await writes.EventAsync(created, "split", $"Split off {customer.Id} by hand ({what}); not linked to {customer.Id} again automatically");
        }, [customer.Id, created]);
        logger.LogInformation("Merchant {Merchant}: split {Accounts} off {Customer} into {Created} by hand", MerchantId, moved.Count, customer.Id, created);
        return IdentityOutcome.Ok(customer.Id, created);
    }

    public async Task<IdentityOutcome> Erase(string customerId)
    {
        await CatchUpAsync();
        await using var db = await factory.CreateDbContextAsync();
        var customer = await CustomerQueries.ResolveAsync(db, MerchantId, customerId, CancellationToken.None);
        if (customer is null) return IdentityOutcome.NotFound($"customer '{customerId}' does not exist");
        var accounts = await db.Buyers.Where(x => x.MerchantId == MerchantId && x.CustomerId == customer.Id).ToListAsync();
        var tombstones = accounts.SelectMany(x => Tombstones.KeysOf(x.Marketplace, x.BuyerId, x.Email, x.Phone))
            .Select(k => Tombstones.Hash(MerchantId, k)).ToHashSet(StringComparer.Ordinal);
        Dictionary<string, int> counts = [];
        await WriteAsync(db, async writes => counts = await writes.EraseAsync(customer.Id, accounts, tombstones), []);
        _graph.Forget(customer.Sequence);
        logger.LogInformation("Merchant {Merchant}: erased customer {Customer} ({Accounts} accounts)", MerchantId, customer.Id, accounts.Count);
        return IdentityOutcome.Ok(customer.Id, null, counts);
    }

    public async Task<int> Backfill()
    {
        await using var db = await factory.CreateDbContextAsync();
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var now = clock.GetUtcNow();

        var unnamed = new List<(string Store, string Buyer, string Key)>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT store_id, buyer_id, name FROM buyers WHERE merchant_id = @m AND name IS NOT NULL AND name_key IS NULL";
            Sql.Add(cmd, "@m", MerchantId);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
                if (TextFold.Fold(r.GetString(2)) is { Length: > 0 } key) unnamed.Add((r.GetString(0), r.GetString(1), key));
        }
        if (unnamed.Count > 0)
        {
            using var writing = await gate.EnterAsync(CancellationToken.None);
            await using var tx = await conn.BeginTransactionAsync();
            await using var update = Sql.Prepare(conn, tx, "UPDATE buyers SET name_key = @k WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b AND name_key IS NULL",
                "@k", "@m", "@s", "@b");
            foreach (var (store, buyer, key) in unnamed)
                Sql.Run(update, ("@k", key), ("@m", MerchantId), ("@s", store), ("@b", buyer));
            await tx.CommitAsync();
        }

        var unindexed = new List<string>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """
                SELECT c.id FROM customers c
                WHERE c.merchant_id = @m AND c.merged_into IS NULL
                  AND NOT EXISTS (SELECT 1 FROM customer_search_rows s WHERE s.merchant_id = c.merchant_id AND s.customer_id = c.id)
                  AND EXISTS (SELECT 1 FROM buyers b WHERE b.merchant_id = c.merchant_id AND b.customer_id = c.id)
                """;
            Sql.Add(cmd, "@m", MerchantId);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) unindexed.Add(r.GetString(0));
        }
        foreach (var chunk in unindexed.Chunk(5_000)) await RecomputeAsync(conn, chunk, now, null);

        if (unnamed.Count + unindexed.Count > 0)
            logger.LogInformation("Merchant {Merchant}: backfilled {Names} name keys and {Customers} customers' search rows", MerchantId, unnamed.Count, unindexed.Count);
        return unnamed.Count + unindexed.Count;
    }

    /// <summary>One write transaction of a manual command, then the customers it changed recomputed.</summary>
    private async Task WriteAsync(PlatformDbContext db, Func<IdentityWrites, Task> write, IReadOnlyList<string> recompute)
    {
        var now = clock.GetUtcNow();
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            using (await gate.EnterAsync(CancellationToken.None))
            {
                await using var tx = await conn.BeginTransactionAsync();
                await write(new IdentityWrites(conn, tx, MerchantId, now));
                await tx.CommitAsync();
            }
            if (recompute.Count > 0)
            {
                await RecomputeAsync(conn, recompute, now, null);
                await GrainFactory.GetGrain<Platform.Host.Value.IScoringGrain>(MerchantId).ScoreSoon(recompute);
            }
        }
        catch
        {
            _graph = new IdentityGraph(); // ahead of the database now: rebuild it from the database next time
            _loaded = false;
            throw;
        }
    }

    /// <summary>
    /// Recomputes customers' projections: reads outside the write lock, then applies them (and <paramref name="alsoInTransaction"/>)
    /// in one transaction under it.
    /// </summary>
    private async Task RecomputeAsync(DbConnection conn, IReadOnlyList<string> customers, DateTimeOffset now, Func<DbTransaction, Task>? alsoInTransaction)
    {
        var started = clock.GetTimestamp();
        var stats = await projector.ComputeAsync(conn, MerchantId, customers);
        var computed = clock.GetTimestamp();
        using var applying = await gate.EnterAsync(CancellationToken.None);
        var entered = clock.GetTimestamp();
        await using var tx = await conn.BeginTransactionAsync();
        await projector.ApplyAsync(conn, tx, MerchantId, stats, now);
        if (alsoInTransaction is not null) await alsoInTransaction(tx);
        await tx.CommitAsync();
        logger.LogDebug("Merchant {Merchant}: {Customers} customers recomputed (compute {Compute:F0} ms, wait {Wait:F0} ms, apply {Apply:F0} ms)",
            MerchantId, customers.Count, clock.GetElapsedTime(started, computed).TotalMilliseconds,
            clock.GetElapsedTime(computed, entered).TotalMilliseconds, clock.GetElapsedTime(entered).TotalMilliseconds);
    }

    /// <summary>A buyer row as it will be once moved into a split group.</summary>
    private static BuyerRow BuyerRowView(BuyerRow b, string group) => new()
    {
        MerchantId = b.MerchantId, StoreId = b.StoreId, BuyerId = b.BuyerId, Marketplace = b.Marketplace, Name = b.Name,
        EmailRaw = b.EmailRaw, PhoneRaw = b.PhoneRaw, Email = b.Email, Phone = b.Phone, SplitGroup = group,
    };
}

/// <summary>Customer ids are <c>c</c> + the merchant-wide sequence number (lower = older).</summary>
public static class CustomerIds
{
    public static string Of(long sequence) => $"c{sequence}";

    public static long Sequence(string id) =>
        id.Length > 1 && id[0] == 'c' && long.TryParse(id.AsSpan(1), out var n) ? n : throw new FormatException($"'{id}' is not a customer id");
}
