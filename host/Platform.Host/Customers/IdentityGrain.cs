using Orleans.Concurrency;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Crm.Identity;
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
}

public sealed class IdentityGrain(
    IDbContextFactory<PlatformDbContext> factory,
    CustomerProjector projector,
    WriteGate gate,
    TimeProvider clock,
    IOptions<PlatformOptions> options,
    ILogger<IdentityGrain> logger) : Grain, IIdentityGrain
{
    private IdentityGraph _graph = new();
    private bool _loaded;
    private string MerchantId => this.GetPrimaryKeyString();

    public async Task DispatchSoon() => await Dispatch();

    public async Task<int> Dispatch()
    {
        if (!_loaded) await LoadAsync();
        var total = 0;
        try
        {
            while (true)
            {
                var applied = await DispatchBatchAsync(options.Value.Sync.DispatchBatchSize);
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

    private async Task<int> DispatchBatchAsync(int batchSize)
    {
        var started = clock.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync();
        var maxId = await db.Outbox.Where(o => o.MerchantId == MerchantId).OrderBy(o => o.Id).Skip(batchSize - 1).Select(o => (long?)o.Id).FirstOrDefaultAsync()
            ?? await db.Outbox.Where(o => o.MerchantId == MerchantId).MaxAsync(o => (long?)o.Id);
        if (maxId is null) return 0;
        var events = await db.Outbox.CountAsync(o => o.MerchantId == MerchantId && o.Id <= maxId);
        // The changed accounts, outbox first then each account by its key (CROSS JOIN fixes that order in SQLite).
        var buyers = await db.Buyers.FromSqlRaw("""
            SELECT DISTINCT b.* FROM outbox o CROSS JOIN buyers b
            WHERE o.merchant_id = {0} AND o.id <= {1} AND b.merchant_id = o.merchant_id AND b.store_id = o.store_id AND b.buyer_id = o.buyer_id
            """, MerchantId, maxId.Value).AsNoTracking().ToListAsync();
        // A deterministic order: the grouping does not depend on it, but ids and merge reasons read the same on replay.
        buyers.Sort((a, b) => a.FirstSeenAt != b.FirstSeenAt ? a.FirstSeenAt.CompareTo(b.FirstSeenAt) : string.CompareOrdinal(a.StoreId + "\0" + a.BuyerId, b.StoreId + "\0" + b.BuyerId));

        var now = clock.GetUtcNow();
        var created = new List<long>();
        var addedKeys = new List<(string Key, long Customer)>();
        var merges = new List<Merge>();
        var assignments = new List<(BuyerRow Buyer, long Customer)>();
        foreach (var b in buyers)
        {
            var keys = IdentityKeys.Of(b.Marketplace, b.BuyerId, b.Email, b.Phone);
            var r = _graph.Add(keys, $"{b.Marketplace} store {b.StoreId}");
            if (r.Created) created.Add(r.Customer);
            addedKeys.AddRange(r.AddedKeys.Select(k => (k, r.Customer)));
            merges.AddRange(r.Merges);
            assignments.Add((b, r.Customer));
        }

        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        using var writing = await gate.EnterAsync(CancellationToken.None);
        await using var tx = await conn.BeginTransactionAsync();
        foreach (var seq in created)
            await Sql.ExecAsync(conn, tx, "INSERT INTO customers (merchant_id, id, sequence, merged_into, orders, revenue, unconverted_orders, created_at, updated_at) VALUES (@m, @id, @seq, NULL, 0, 0, 0, @now, @now)",
                ("@m", MerchantId), ("@id", CustomerIds.Of(seq)), ("@seq", seq), ("@now", now.ToUnixTimeMilliseconds()));
        foreach (var m in merges)
        {
            var from = CustomerIds.Of(m.From);
            var into = CustomerIds.Of(m.Into);
            await Sql.ExecAsync(conn, tx, "UPDATE customers SET merged_into = @into, updated_at = @now WHERE merchant_id = @m AND id = @from", ("@m", MerchantId), ("@from", from), ("@into", into), ("@now", now.ToUnixTimeMilliseconds()));
            await Sql.ExecAsync(conn, tx, "UPDATE customers SET merged_into = @into WHERE merchant_id = @m AND merged_into = @from", ("@m", MerchantId), ("@from", from), ("@into", into));
            await Sql.ExecAsync(conn, tx, "UPDATE customer_keys SET customer_id = @into WHERE merchant_id = @m AND customer_id = @from", ("@m", MerchantId), ("@from", from), ("@into", into));
            await Sql.ExecAsync(conn, tx, "UPDATE buyers SET customer_id = @into WHERE merchant_id = @m AND customer_id = @from", ("@m", MerchantId), ("@from", from), ("@into", into));
            await Sql.ExecAsync(conn, tx, "UPDATE customer_events SET customer_id = @into WHERE merchant_id = @m AND customer_id = @from", ("@m", MerchantId), ("@from", from), ("@into", into));
            await Sql.ExecAsync(conn, tx, "INSERT INTO customer_events (merchant_id, customer_id, kind, text, at) VALUES (@m, @into, 'merge', @text, @now)",
                ("@m", MerchantId), ("@into", into), ("@text", $"Merged {from} into {into}: {m.Reason}"), ("@now", now.ToUnixTimeMilliseconds()));
            logger.LogInformation("Merchant {Merchant}: merged {From} into {Into} ({Reason})", MerchantId, from, into, m.Reason);
        }
        await using (var key = Sql.Prepare(conn, tx, "INSERT INTO customer_keys (merchant_id, key, customer_id) VALUES (@m, @k, @c) ON CONFLICT (merchant_id, key) DO UPDATE SET customer_id = excluded.customer_id", "@m", "@k", "@c"))
            foreach (var (k, c) in addedKeys)
                Sql.Run(key, ("@m", MerchantId), ("@k", k), ("@c", CustomerIds.Of(_graph.Survivor(c))));
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
        writing.Dispose();

        // Reading the touched customers' orders needs no write lock; only the updates and the outbox do. A page
        // committed meanwhile has its own, later outbox events, so its customers are recomputed in the next batch.
        // A crash before the second commit replays these events: resolution is idempotent, stats are recomputed.
        var stats = await projector.ComputeAsync(conn, MerchantId, touched.ToList());
        using var applying = await gate.EnterAsync(CancellationToken.None);
        await using var tx2 = await conn.BeginTransactionAsync();
        await projector.ApplyAsync(conn, tx2, MerchantId, stats, now);
        await Sql.ExecAsync(conn, tx2, "DELETE FROM outbox WHERE merchant_id = @m AND id <= @max", ("@m", MerchantId), ("@max", maxId));
        await tx2.CommitAsync();
        logger.LogDebug("Merchant {Merchant}: {Events} buyer events, {Customers} customers recomputed, {Created} created, {Merges} merges in {Ms:F0} ms",
            MerchantId, events, touched.Count, created.Count, merges.Count, clock.GetElapsedTime(started).TotalMilliseconds);
        return events;
    }
}

/// <summary>Customer ids are <c>c</c> + the merchant-wide sequence number (lower = older).</summary>
public static class CustomerIds
{
    public static string Of(long sequence) => $"c{sequence}";

    public static long Sequence(string id) =>
        id.Length > 1 && id[0] == 'c' && long.TryParse(id.AsSpan(1), out var n) ? n : throw new FormatException($"'{id}' is not a customer id");
}
