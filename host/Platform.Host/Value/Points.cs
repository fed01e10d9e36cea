using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using Platform.Crm.Loyalty;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Value;

/// <summary>An order as points see it: its status and total in the merchant's currency (null: no rate for its currency).</summary>
public sealed record OrderFact(string Store, string Order, string Status, decimal? Amount, DateTimeOffset At);

/// <summary>A review the customer wrote.</summary>
public sealed record ReviewFact(string Store, string Review, DateTimeOffset At);

/// <summary>What a customer did that earns or takes back points.</summary>
public sealed class CustomerActivity
{
    public List<OrderFact> Orders { get; } = [];
    public List<ReviewFact> Reviews { get; } = [];
}

/// <summary>A ledger entry to add, for a customer.</summary>
public sealed record PointsAward(string Customer, PointsEntry Entry, string Reason);

/// <summary>Entries to add, and entries whose event now belongs to another customer (a split moved the order).</summary>
public sealed record PointsPlan(IReadOnlyList<PointsAward> Added, IReadOnlyList<(string Source, string Customer)> Moved);

/// <summary>A manual adjustment's outcome: the entry and the new balance, or the field that is wrong and why.</summary>
[GenerateSerializer, Immutable, Alias("Platform.PointsAdjustment")]
public sealed record PointsAdjustment(
    [property: Id(0)] int Status,
    [property: Id(1)] string? Field,
    [property: Id(2)] string? Error,
    [property: Id(3)] string? Customer,
    [property: Id(4)] string? Source,
    [property: Id(5)] long Points,
    [property: Id(6)] long Balance);

/// <summary>
/// The points ledger (crm.md section 3). Awards come from events (an order counted as revenue earns its total ×
/// <c>Platform:Value:Points:PerCurrencyUnit</c> × the tier's multiplier; a review earns the bonus; an order cancelled,
/// refunded or returned after earning gives its points back) and each names its event, unique per merchant: planning
/// again, replaying the outbox or re-syncing from the beginning adds nothing. Expiry is FIFO after
/// <c>ExpiryMonths</c>. Entries follow their customer through merges.
/// </summary>
public sealed class PointsAwards(IOptions<PlatformOptions> options, WriteGate gate, Microsoft.EntityFrameworkCore.IDbContextFactory<PlatformDbContext> factory)
{
    private static readonly string[] TakenBack = ["cancelled", "refunded", "returned"];

    /// <summary>
    /// What to add for these customers (with their tier after this scoring), from their activity and their ledger
    /// so far. Reads only; <see cref="WriteAsync"/> writes the plan in the scoring's transaction.
    /// </summary>
    public async Task<PointsPlan> PlanAsync(DbConnection conn, string merchantId, IReadOnlyList<(string Customer, string Tier)> customers,
        IReadOnlyDictionary<string, CustomerActivity> activity, string currency, DateTimeOffset now, bool all, CancellationToken ct)
    {
        var rules = options.Value.Value.Points.ToRules();
        var policy = options.Value.Value.Tiers.ToPolicy();
        var ledger = all
            ? await WholeLedgerAsync(factory, merchantId, customers.Select(c => c.Customer).ToList(), ct)
            : await LedgerAsync(conn, merchantId, customers.Select(c => c.Customer).ToList(), reasons: false, ct);
        var bySource = ledger.SelectMany(kv => kv.Value.Select(e => (Customer: kv.Key, e.Entry))).ToDictionary(x => x.Entry.Source, StringComparer.Ordinal);
        // Each customer is planned from the ledger as read and their own new entries only (an order or review
        // belongs to one customer), so customers are planned on all cores; the plan keeps the customers' order.
        var perCustomer = new (List<PointsAward>? Added, List<(string, string)>? Moved)[customers.Count];
        Parallel.For(0, customers.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (customer, tier) = customers[i];
            if (!activity.TryGetValue(customer, out var did)) return;
            var index = policy.IndexOf(tier);
            var multiplier = index >= 0 ? policy.Levels[index].PointsMultiplier : 1;
            var mine = ledger.TryGetValue(customer, out var entries) ? entries.Select(e => e.Entry).ToList() : [];
            var fresh = new List<PointsEntry>();
            List<PointsAward>? added = null;
            List<(string, string)>? moved = null;
            HashSet<string>? freshSources = null;
            bool Known(string source) => bySource.ContainsKey(source) || freshSources?.Contains(source) == true;
            void Add(PointsEntry e, string reason)
            {
                (added ??= []).Add(new PointsAward(customer, e, reason));
                fresh.Add(e);
                (freshSources ??= new HashSet<string>(StringComparer.Ordinal)).Add(e.Source);
            }
            foreach (var o in did.Orders)
            {
                var source = $"order:{o.Store}:{o.Order}";
                if (bySource.TryGetValue(source, out var earned))
                {
                    if (earned.Customer != customer) (moved ??= []).Add((source, customer));
                    if (TakenBack.Contains(o.Status) && !Known($"reversal:{o.Store}:{o.Order}"))
                        Add(new PointsEntry($"reversal:{o.Store}:{o.Order}", PointsKind.Reversal, -earned.Entry.Points, now, source),
                            $"order {o.Order} in {o.Store} {o.Status}: its {earned.Entry.Points} points taken back");
                    continue;
                }
                if (freshSources?.Contains(source) == true) continue;
                if (!CustomerProjector.Revenue.Contains(o.Status) || o.Amount is not { } amount) continue;
                var points = rules.Earned(amount, multiplier);
                if (points <= 0) continue;
                Add(new PointsEntry(source, PointsKind.Earn, points, o.At),
                    $"order {o.Order} in {o.Store}: {amount.ToString("0.00", CultureInfo.InvariantCulture)} {currency} × {rules.PerCurrencyUnit.ToString(CultureInfo.InvariantCulture)} × {multiplier.ToString(CultureInfo.InvariantCulture)} ({tier})");
            }
            if (rules.ReviewBonus > 0)
                foreach (var r in did.Reviews)
                {
                    var source = $"review:{r.Store}:{r.Review}";
                    if (bySource.TryGetValue(source, out var bonus))
                    {
                        if (bonus.Customer != customer) (moved ??= []).Add((source, customer));
                        continue;
                    }
                    if (freshSources?.Contains(source) == true) continue;
                    Add(new PointsEntry(source, PointsKind.Review, rules.ReviewBonus, r.At), $"review {r.Review} in {r.Store}");
                }
            foreach (var expiry in PointsLedger.DueExpiries([.. mine, .. fresh], rules.ExpiryMonths, now))
                Add(expiry, $"{-expiry.Points} points of {expiry.Lot} expired after {rules.ExpiryMonths} months");
            perCustomer[i] = (added, moved);
        });
        return new PointsPlan(perCustomer.SelectMany(p => p.Added ?? []).ToList(), perCustomer.SelectMany(p => p.Moved ?? []).ToList());
    }

    public static async Task WriteAsync(DbConnection conn, DbTransaction tx, string merchantId, PointsPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        if (plan.Added.Count > 0)
        {
            await using var insert = Sql.Prepare(conn, tx, """
                INSERT INTO points_ledger (merchant_id, customer_id, source, kind, points, at, lot, reason, recorded_at)
                VALUES (@m, @c, @s, @k, @p, @at, @lot, @r, @now) ON CONFLICT (merchant_id, source) DO NOTHING
                """, "@m", "@c", "@s", "@k", "@p", "@at", "@lot", "@r", "@now");
            foreach (var (customer, e, reason) in plan.Added)
                Sql.Run(insert, ("@m", merchantId), ("@c", customer), ("@s", e.Source), ("@k", e.Kind), ("@p", e.Points),
                    ("@at", e.At.ToUnixTimeMilliseconds()), ("@lot", e.Lot), ("@r", reason), ("@now", now.ToUnixTimeMilliseconds()));
        }
        foreach (var (source, customer) in plan.Moved)
            await Sql.ExecAsync(conn, tx, "UPDATE points_ledger SET customer_id = @c WHERE merchant_id = @m AND source = @s", ("@m", merchantId), ("@s", source), ("@c", customer));
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Adds a manual adjustment (serialized with the merchant's scoring by <see cref="IScoringGrain"/>). A retry with
    /// the same <paramref name="key"/> adds nothing the second time. A deduction may not take the balance below 0.
    /// </summary>
    public async Task<PointsAdjustment> AdjustAsync(DbConnection conn, string merchantId, string customerId, long points, string reason, string? key, DateTimeOffset now, CancellationToken ct)
    {
        var source = "manual:" + (key ?? Guid.NewGuid().ToString("N"));
        using var writing = await gate.EnterAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var balance = await BalanceAsync(conn, tx, merchantId, customerId, ct);
        var existing = await Sql.ScalarAsync(conn, tx, "SELECT points FROM points_ledger WHERE merchant_id = @m AND source = @s", ct, ("@m", merchantId), ("@s", source));
        if (existing is long already) return new PointsAdjustment(200, null, null, customerId, source, already, balance);
        if (balance + points < 0)
            return new PointsAdjustment(400, "points", $"{points} would leave the balance at {balance + points}; the balance is {balance}", customerId, null, 0, balance);
        await Sql.ExecAsync(conn, tx, """
            INSERT INTO points_ledger (merchant_id, customer_id, source, kind, points, at, lot, reason, recorded_at)
            VALUES (@m, @c, @s, 'manual', @p, @now, NULL, @r, @now)
            """, ("@m", merchantId), ("@c", customerId), ("@s", source), ("@p", points), ("@r", reason), ("@now", now.ToUnixTimeMilliseconds()));
        await tx.CommitAsync(ct);
        return new PointsAdjustment(201, null, null, customerId, source, points, balance + points);
    }

    /// <summary>
    /// Ledger entries by customer (of the merchant, or of <paramref name="customers"/>), oldest first. Planning reads
    /// every entry of the merchant in a full scoring and needs no reasons (<paramref name="reasons"/> false: empty).
    /// </summary>
    public static async Task<Dictionary<string, List<(PointsEntry Entry, string Reason, long Id)>>> LedgerAsync(DbConnection conn, string merchantId,
        IReadOnlyList<string>? customers, bool reasons, CancellationToken ct)
    {
        var result = new Dictionary<string, List<(PointsEntry, string, long)>>(StringComparer.Ordinal);
        foreach (var chunk in Scoring.Chunks(customers))
            await ReadLedgerAsync(conn, null, chunk is null ? "b.merchant_id = @m" : "b.merchant_id = @m AND b.customer_id IN ({in})", [("@m", merchantId)],
                reasons, result, ct, chunk);
        return Sorted(result);
    }

    /// <summary>Every entry of the merchant (no reasons), read in key ranges of the customers, one range a core.</summary>
    private static async Task<Dictionary<string, List<(PointsEntry Entry, string Reason, long Id)>>> WholeLedgerAsync(
        Microsoft.EntityFrameworkCore.IDbContextFactory<PlatformDbContext> factory, string merchantId, IReadOnlyList<string> customers, CancellationToken ct)
    {
        var ranges = new System.Collections.Concurrent.ConcurrentBag<Dictionary<string, List<(PointsEntry, string, long)>>>();
        await Scoring.InKeyRangesAsync(factory, merchantId, customers, async (c, tx, only, values, token) =>
        {
            var part = new Dictionary<string, List<(PointsEntry, string, long)>>(StringComparer.Ordinal);
            await ReadLedgerAsync(c, tx, "b.merchant_id = @m AND " + only, values, reasons: false, part, token);
            ranges.Add(part);
        }, ct);
        var result = new Dictionary<string, List<(PointsEntry, string, long)>>(ranges.Sum(r => r.Count), StringComparer.Ordinal);
        foreach (var part in ranges)
            foreach (var (customer, entries) in part) result.Add(customer, entries); // the ranges share no customer
        return Sorted(result);
    }

    private static async Task ReadLedgerAsync(DbConnection conn, DbTransaction? tx, string where, (string, object?)[] values, bool reasons,
        Dictionary<string, List<(PointsEntry, string, long)>> into, CancellationToken ct, IReadOnlyList<string>? inList = null)
    {
        var columns = reasons ? "b.reason" : "''";
        await Sql.EachAsync(conn, tx, $"SELECT b.customer_id, b.source, b.kind, b.points, b.at, b.lot, {columns}, b.id FROM points_ledger b WHERE {where}", values, r =>
        {
            var customer = r.GetString(0);
            if (!into.TryGetValue(customer, out var list)) into[customer] = list = [];
            list.Add((new PointsEntry(r.GetString(1), r.GetString(2), r.GetInt64(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
                r.IsDBNull(5) ? null : r.GetString(5)), r.GetString(6), r.GetInt64(7)));
        }, ct, inList);
    }

    /// <summary>
    /// Each customer's entries oldest first (FIFO expiry): sorted here, per customer, rather than by SQLite over the
    /// whole ledger (a temporary B-tree of a million rows took seconds of a full scoring).
    /// </summary>
    private static Dictionary<string, List<(PointsEntry Entry, string Reason, long Id)>> Sorted(Dictionary<string, List<(PointsEntry Entry, string Reason, long Id)>> ledger)
    {
        foreach (var list in ledger.Values)
            list.Sort((x, y) => x.Entry.At.CompareTo(y.Entry.At) is var c && c != 0 ? c : x.Id.CompareTo(y.Id));
        return ledger;
    }

    private static async Task<long> BalanceAsync(DbConnection conn, DbTransaction tx, string merchantId, string customerId, CancellationToken ct) =>
        await Sql.ScalarAsync(conn, tx, "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE merchant_id = @m AND customer_id = @c", ct,
            ("@m", merchantId), ("@c", customerId)) as long? ?? 0;
}
