using Orleans.Concurrency;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Crm.Loyalty;
using Platform.Crm.Value;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Merchants;
using Platform.Host.Storage;

namespace Platform.Host.Value;

/// <summary>What a scoring did.</summary>
[GenerateSerializer, Immutable, Alias("Platform.ScoringResult")]
public sealed record ScoringResult(
    [property: Id(0)] string Merchant,
    [property: Id(1)] bool Full,
    [property: Id(2)] bool Review,
    [property: Id(3)] int Customers,
    [property: Id(4)] int TierChanges,
    [property: Id(5)] DateTimeOffset ScoredAt,
    [property: Id(6)] double Milliseconds);

/// <summary>
/// Scores a merchant's customers (crm.md section 2 and 3): RFM and segment, the six value dimensions and the
/// composite, key accounts and growing customers, member tiers. A full scoring ranks everyone within everyone and
/// keeps the populations; after a sync batch only the touched customers are rescored, ranked within those kept
/// populations. Tier upgrades happen whenever a customer is scored; downgrades only at a review (the scheduled
/// full scoring). Tier changes go on the customer's timeline with their reason.
/// </summary>
public sealed class Scoring(
    IDbContextFactory<PlatformDbContext> factory,
    MerchantDirectory merchants,
    ValueModels models,
    WriteGate gate,
    IOptions<PlatformOptions> options,
    TimeProvider clock,
    PointsAwards points,
    ILogger<Scoring> logger)
{
    private const double DaysPerWeek = 7;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Scores every live customer of the merchant; with <paramref name="review"/>, downgrades members whose grace ran out.</summary>
    public async Task<ScoringResult> ScoreAllAsync(string merchantId, bool review, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        // A merchant scored for the first time gets a model on the data so far (refitted nightly after).
        var phases = new Phases(clock);
        var model = await models.EnsureAsync(merchantId, ct);
        phases.Mark("model");
        var (inputs, activity) = await InputsAsync(db, merchantId, null, model, now, ct, phases);
        var weights = options.Value.Value.ToWeights();
        var distributions = ValueScores.Distributions(inputs, weights);
        phases.Mark("distributions");
        var changes = await WriteAsync(db, merchantId, inputs, activity, distributions, now, review, full: true, ct, phases: phases);
        var result = new ScoringResult(merchantId, true, review, inputs.Count, changes, now, clock.GetElapsedTime(started).TotalMilliseconds);
        logger.LogInformation("Merchant {Merchant}: scored {Customers} customers in full in {Ms:F0} ms ({Changes} tier changes{Review}; {Phases})",
            merchantId, inputs.Count, result.Milliseconds, changes, review ? ", tier review" : "", phases);
        return result;
    }

    /// <summary>Rescores <paramref name="customers"/> within the populations of the last full scoring (a full scoring when there was none).</summary>
    public async Task<ScoringResult> ScoreAsync(string merchantId, IReadOnlyCollection<string> customers, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync(ct);
        var kept = await db.ValueDistributions.AsNoTracking().Where(d => d.MerchantId == merchantId).Select(d => d.Json).FirstOrDefaultAsync(ct);
        if (kept is null) return await ScoreAllAsync(merchantId, review: false, ct);
        var now = clock.GetUtcNow();
        var model = await models.GetAsync(merchantId, ct);
        var (inputs, activity) = await InputsAsync(db, merchantId, customers, model, now, ct);
        var distributions = JsonSerializer.Deserialize<ValueDistributions>(kept, Json)!;
        var live = inputs.Select(i => i.CustomerId).ToHashSet(StringComparer.Ordinal);
        var gone = customers.Where(c => !live.Contains(c)).Distinct().ToList();
        var changes = await WriteAsync(db, merchantId, inputs, activity, distributions, now, review: false, full: false, ct, gone);
        logger.LogDebug("Merchant {Merchant}: rescored {Customers} customers in {Ms:F0} ms ({Changes} tier changes)",
            merchantId, inputs.Count, clock.GetElapsedTime(started).TotalMilliseconds, changes);
        return new ScoringResult(merchantId, false, false, inputs.Count, changes, now, clock.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Writes scores and tier states, and the tier changes as timeline events; returns the number of tier changes.</summary>
    private async Task<int> WriteAsync(PlatformDbContext db, string merchantId, IReadOnlyList<ValueInputs> inputs,
        IReadOnlyDictionary<string, CustomerActivity> activity, ValueDistributions distributions,
        DateTimeOffset now, bool review, bool full, CancellationToken ct, IReadOnlyList<string>? gone = null, Phases? phases = null)
    {
        var o = options.Value.Value;
        var weights = o.ToWeights();
        var policy = o.Tiers.ToPolicy();
        var currency = await merchants.CurrencyAsync(merchantId);
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var states = await TierStatesAsync(conn, merchantId, full ? null : inputs.Select(i => i.CustomerId).ToList(), ct);

        // Everything computed before taking the write lock, each customer on any core (scores, tier decision and the
        // inputs' JSON depend on that customer alone); the results keep the inputs' order.
        var rows = new (CustomerScores Scores, ValueInputs Inputs, TierState Tier, string InputsJson, string? Event)[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var c = inputs[i];
            var s = ValueScores.Score(c, distributions, weights, o.KeyAccountPercent);
            var decision = Tiers.Evaluate(policy, states.GetValueOrDefault(c.CustomerId), c.Spend12Months, currency, now, review);
            var tierEvent = decision.Change is TierChange.Upgraded or TierChange.Downgraded || decision is { Change: TierChange.Joined } && policy.IndexOf(decision.State.Tier) > 0
                ? decision.Reason!
                : null;
            rows[i] = (s, c, decision.State, InputsJson(s), tierEvent);
        });
        var events = rows.Where(r => r.Event is not null).Select(r => (Customer: r.Inputs.CustomerId, Text: r.Event!)).ToList();
        phases?.Mark("scores");
        var awards = await points.PlanAsync(conn, merchantId, rows.Select(r => (r.Inputs.CustomerId, r.Tier.Tier)).ToList(), activity, currency, now, full, ct);
        phases?.Mark("points plan");

        using var writing = await gate.EnterAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var upsert = Sql.Prepare(conn, tx, """
            INSERT INTO customer_scores (merchant_id, customer_id, r, f, m, segment, current, future, credit, credit_grade, loyalty, growth, e_value,
              score, key_account, growing, clv, p_alive, spend12_months, tier, tier_since, tier_below_since, inputs_json, scored_at)
            VALUES (@m, @c, @r, @f, @mo, @seg, @cur, @fut, @cr, @grade, @loy, @gr, @ev, @score, @key, @growing, @clv, @alive, @spend, @tier, @since, @below, @inputs, @now)
            ON CONFLICT (merchant_id, customer_id) DO UPDATE SET r = excluded.r, f = excluded.f, m = excluded.m, segment = excluded.segment,
              current = excluded.current, future = excluded.future, credit = excluded.credit, credit_grade = excluded.credit_grade,
              loyalty = excluded.loyalty, growth = excluded.growth, e_value = excluded.e_value, score = excluded.score,
              key_account = excluded.key_account, growing = excluded.growing, clv = excluded.clv, p_alive = excluded.p_alive,
              spend12_months = excluded.spend12_months, tier = excluded.tier, tier_since = excluded.tier_since,
              tier_below_since = excluded.tier_below_since, inputs_json = excluded.inputs_json, scored_at = excluded.scored_at
            """, "@m", "@c", "@r", "@f", "@mo", "@seg", "@cur", "@fut", "@cr", "@grade", "@loy", "@gr", "@ev", "@score", "@key", "@growing",
            "@clv", "@alive", "@spend", "@tier", "@since", "@below", "@inputs", "@now"))
        {
            foreach (var (s, c, tier, inputsJson, _) in rows)
            {
                Sql.Set(upsert, "@m", merchantId);
                Sql.Set(upsert, "@c", s.CustomerId);
                Sql.Set(upsert, "@r", s.R);
                Sql.Set(upsert, "@f", s.F);
                Sql.Set(upsert, "@mo", s.M);
                Sql.Set(upsert, "@seg", s.Segment is { } seg ? Segments.Name(seg) : null);
                Sql.Set(upsert, "@cur", s.Current.Score);
                Sql.Set(upsert, "@fut", s.Future.Score);
                Sql.Set(upsert, "@cr", s.Credit.Score);
                Sql.Set(upsert, "@grade", s.CreditGrade);
                Sql.Set(upsert, "@loy", s.Loyalty.Score);
                Sql.Set(upsert, "@gr", s.Growth.Score);
                Sql.Set(upsert, "@ev", s.EValue.Score);
                Sql.Set(upsert, "@score", s.Composite);
                Sql.Set(upsert, "@key", s.KeyAccount);
                Sql.Set(upsert, "@growing", s.Growing);
                Sql.Set(upsert, "@clv", Money.ToStored(decimal.Round((decimal)c.Clv, 2)));
                Sql.Set(upsert, "@alive", c.PAlive);
                Sql.Set(upsert, "@spend", Money.ToStored(c.Spend12Months));
                Sql.Set(upsert, "@tier", tier.Tier);
                Sql.Set(upsert, "@since", tier.Since.ToUnixTimeMilliseconds());
                Sql.Set(upsert, "@below", tier.BelowSince?.ToUnixTimeMilliseconds());
                Sql.Set(upsert, "@inputs", inputsJson);
                Sql.Set(upsert, "@now", now.ToUnixTimeMilliseconds());
                upsert.ExecuteNonQuery();
            }
        }
        phases?.Mark("score rows");
        await PointsAwards.WriteAsync(conn, tx, merchantId, awards, now, ct);
        phases?.Mark("ledger rows");
        foreach (var (customer, text) in events)
            await Sql.ExecAsync(conn, tx, "INSERT INTO customer_events (merchant_id, customer_id, kind, text, at) VALUES (@m, @c, 'tier', @t, @at)",
                ("@m", merchantId), ("@c", customer), ("@t", text), ("@at", now.ToUnixTimeMilliseconds()));
        foreach (var chunk in (gone ?? []).Chunk(500))
        {
            // Merged away or erased: their scores go (the survivor's are in this scoring).
            await using var delete = conn.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = $"DELETE FROM customer_scores WHERE merchant_id = @m AND customer_id IN ({Sql.AddList(delete, "c", chunk)})";
            Sql.Add(delete, "@m", merchantId);
            await delete.ExecuteNonQueryAsync(ct);
        }
        if (full)
        {
            // Customers merged away or erased since keep no scores.
            await Sql.ExecAsync(conn, tx, """
                DELETE FROM customer_scores WHERE merchant_id = @m AND customer_id NOT IN (SELECT id FROM customers WHERE merchant_id = @m AND merged_into IS NULL)
                """, ("@m", merchantId));
            await Sql.ExecAsync(conn, tx, """
                INSERT INTO value_distributions (merchant_id, computed_at, json) VALUES (@m, @at, @j)
                ON CONFLICT (merchant_id) DO UPDATE SET computed_at = excluded.computed_at, json = excluded.json
                """, ("@m", merchantId), ("@at", now.ToUnixTimeMilliseconds()), ("@j", JsonSerializer.Serialize(distributions, Json)));
        }
        await tx.CommitAsync(ct);
        phases?.Mark("commit");
        return events.Count;
    }

    private static async Task<Dictionary<string, TierState>> TierStatesAsync(DbConnection conn, string merchantId, IReadOnlyList<string>? customers, CancellationToken ct)
    {
        var states = new Dictionary<string, TierState>(StringComparer.Ordinal);
        foreach (var chunk in Chunks(customers))
            await Sql.EachAsync(conn, null, "SELECT customer_id, tier, tier_since, tier_below_since FROM customer_scores WHERE merchant_id = @m" +
                (chunk is null ? "" : " AND customer_id IN ({in})"), [("@m", merchantId)], r =>
                states[r.GetString(0)] = new TierState(r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                    r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))), ct, chunk);
        return states;
    }

    /// <summary>The value inputs of the merchant's live customers (or of those among <paramref name="customers"/>).</summary>
    private async Task<(IReadOnlyList<ValueInputs> Inputs, IReadOnlyDictionary<string, CustomerActivity> Activity)> InputsAsync(PlatformDbContext db, string merchantId, IReadOnlyCollection<string>? customers,
        ModelReport? model, DateTimeOffset now, CancellationToken ct, Phases? phases = null)
    {
        var currency = await merchants.CurrencyAsync(merchantId);
        var rates = options.Value.ExchangeRates;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var read = await Sql.BeginReadAsync(conn);
        var stores = Convert.ToInt32(await Sql.ScalarAsync(conn, read, "SELECT COUNT(*) FROM stores WHERE merchant_id = @m", ct, ("@m", merchantId)), System.Globalization.CultureInfo.InvariantCulture);
        var acc = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (var chunk in Chunks(customers?.ToList()))
        {
            var only = chunk is null ? "" : " AND c.id IN ({in})";
            await Sql.EachAsync(conn, read, "SELECT c.id FROM customers c WHERE c.merchant_id = @m AND c.merged_into IS NULL" + only, [("@m", merchantId)],
                r =>
                {
                    var id = r.GetString(0);
                    acc[id] = new Accumulator(id);
                }, ct, chunk);
        }
        var live = acc.Keys.ToList();
        var yearAgo = today.AddDays(-365);
        var sixMonthsAgo = today.AddDays(-182);
        if (customers is null)
        {
            await read.CommitAsync(ct);
            // A full scoring reads every order, review and message: in key ranges of the customers, one range a
            // core. Each accumulator is written by one range only.
            await InKeyRangesAsync(factory, merchantId, live, (c, tx, only, values, token) => ActivityAsync(c, tx, only, values, null, token), ct);
        }
        else
        {
            foreach (var chunk in Chunks(live))
                await ActivityAsync(conn, read, "b.customer_id IN ({in})", [("@m", merchantId)], chunk, ct);
            await read.CommitAsync(ct);
        }

        async Task ActivityAsync(DbConnection c, DbTransaction tx, string only, (string, object?)[] values, string[]? chunk, CancellationToken token)
        {
            await Sql.EachAsync(c, tx, $"""
                SELECT b.customer_id, b.store_id, o.status, o.created_at, o.total, o.currency, o.external_id FROM buyers b CROSS JOIN orders o
                WHERE b.merchant_id = @m AND {only} AND o.merchant_id = b.merchant_id AND o.store_id = b.store_id AND o.buyer_id = b.buyer_id
                """, values, r =>
            {
                if (!acc.TryGetValue(r.GetString(0), out var a)) return;
                var status = r.GetString(2);
                var store = r.GetString(1);
                a.Stores.Add(store);
                var at = r.GetInt64(3);
                var day = UnixMillisecondsConverter.UtcDay(at);
                var converted = rates.Convert(Money.FromStored(r.GetInt64(4)), r.GetString(5), currency, day);
                a.Activity.Orders.Add(new OrderFact(store, r.GetString(6), status, converted, DateTimeOffset.FromUnixTimeMilliseconds(at)));
                switch (status)
                {
                    case "cancelled": a.Cancelled++; return;
                    case "refunded" or "returned": a.Returned++; return;
                }
                if (!CustomerProjector.Revenue.Contains(status)) return;
                a.Paid++;
                if (converted is not { } amount) return;
                a.Transactions.Add(new Transaction(a.Id, day, amount));
                a.Total += amount;
                if (day > yearAgo) a.Spend12 += amount;
                if (day > sixMonthsAgo) a.Last6 += amount;
                else if (day > sixMonthsAgo.AddDays(-182)) a.Prior6 += amount;
            }, token, chunk);
            await Sql.EachAsync(c, tx, $"""
                SELECT b.customer_id, b.store_id, r.rating, r.external_id, r.created_at FROM buyers b CROSS JOIN reviews r
                WHERE b.merchant_id = @m AND {only} AND r.merchant_id = b.merchant_id AND r.store_id = b.store_id AND r.buyer_id = b.buyer_id
                """, values, r =>
            {
                if (!acc.TryGetValue(r.GetString(0), out var a)) return;
                var store = r.GetString(1);
                a.Stores.Add(store);
                a.Reviews++;
                a.RatingSum += r.GetInt32(2);
                a.Activity.Reviews.Add(new ReviewFact(store, r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))));
            }, token, chunk);
            await Sql.EachAsync(c, tx, $"""
                SELECT b.customer_id, b.store_id, COUNT(*) FROM buyers b CROSS JOIN messages x
                WHERE b.merchant_id = @m AND {only} AND x.merchant_id = b.merchant_id AND x.store_id = b.store_id AND x.buyer_id = b.buyer_id
                  AND x.direction = 'inbound'
                GROUP BY b.customer_id, b.store_id
                """, values, r =>
            {
                if (!acc.TryGetValue(r.GetString(0), out var a)) return;
                a.Stores.Add(r.GetString(1));
                a.Messages += r.GetInt32(2);
            }, token, chunk);
        }

        phases?.Mark("read");
        var purchases = model?.PurchaseFit();
        var spend = model?.SpendFit();
        var clvOptions = new ClvOptions(12, options.Value.Value.MonthlyDiscountRate, DaysPerWeek);
        // Each customer's value (P(alive), a 12-month CLV: a dozen hypergeometric series) is independent of the
        // others': computed on all cores, in the accumulators' order.
        var accumulated = acc.ToArray();
        var inputs = new ValueInputs[accumulated.Length];
        Parallel.For(0, accumulated.Length, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (id, a) = accumulated[i];
            var days = a.Transactions.Select(t => t.Date).Distinct().Order().ToList();
            double? pAlive = null;
            double clv = 0;
            if (days.Count > 0 && purchases is not null && spend is not null)
            {
                var summary = SummaryBuilder.Build(a.Transactions, today, null, DaysPerWeek).Single();
                pAlive = purchases.ProbabilityAlive(summary.X, summary.Tx, summary.T);
                clv = Clv.Compute(purchases, spend, summary, clvOptions);
            }
            inputs[i] = new ValueInputs(id, decimal.Round(a.Spend12, 2), decimal.Round(a.Total, 2), double.IsFinite(clv) ? Math.Max(0, clv) : 0,
                a.Paid, a.Cancelled, a.Returned, days.Count,
                days.Count == 0 ? null : today.DayNumber - days[^1].DayNumber, days.Count == 0 ? 0 : today.DayNumber - days[0].DayNumber,
                pAlive is { } p && double.IsFinite(p) ? p : null, stores == 0 ? 0 : Math.Min(1, (double)a.Stores.Count / stores),
                decimal.Round(a.Last6, 2), decimal.Round(a.Prior6, 2), a.Reviews, a.Reviews == 0 ? null : a.RatingSum / a.Reviews, a.Messages);
        });
        phases?.Mark("value");
        return (inputs, acc.ToDictionary(kv => kv.Key, kv => kv.Value.Activity, StringComparer.Ordinal));
    }

    internal static IEnumerable<string[]?> Chunks(IReadOnlyList<string>? ids)
    {
        if (ids is null)
        {
            yield return null;
            yield break;
        }
        foreach (var chunk in ids.Chunk(500)) yield return chunk;
    }

    /// <summary>
    /// Where to cut the customers (in key order) into <paramref name="ranges"/> ranges of about equal size; none
    /// for a handful of customers (so the tests' small merchants are read in ranges too). Any cuts partition the keys: SQLite's ordering of the ids only decides the balance.
    /// </summary>
    internal static IReadOnlyList<string> SplitPoints(IReadOnlyList<string> ids, int ranges)
    {
        if (ranges <= 1 || ids.Count < 8 * ranges) return [];
        var sorted = ids.Order(StringComparer.Ordinal).ToArray();
        return Enumerable.Range(1, ranges - 1).Select(k => sorted[(int)((long)sorted.Length * k / ranges)]).Distinct().ToList();
    }

    /// <summary>
    /// The dimensions' inputs as the profile shows them (<c>{"current": {"spend12Months": …}, …}</c>), written
    /// directly: the serializer's look-up of each boxed value's type was a good part of a full scoring.
    /// </summary>
    public static string InputsJson(CustomerScores s)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Dimension("current", s.Current.Inputs);
            Dimension("future", s.Future.Inputs);
            Dimension("credit", s.Credit.Inputs);
            Dimension("loyalty", s.Loyalty.Inputs);
            Dimension("growth", s.Growth.Inputs);
            Dimension("eValue", s.EValue.Inputs);
            w.WriteEndObject();

            void Dimension(string name, IReadOnlyDictionary<string, object?> inputs)
            {
                w.WriteStartObject(name);
                foreach (var (key, value) in inputs)
                    switch (value)
                    {
                        case null: w.WriteNull(key); break;
                        case decimal m: w.WriteNumber(key, m); break;
                        case double d: w.WriteNumber(key, d); break;
                        case int n: w.WriteNumber(key, n); break;
                        case long l: w.WriteNumber(key, l); break;
                        default:
                            w.WritePropertyName(key);
                            JsonSerializer.Serialize(w, value, value.GetType(), Json);
                            break;
                    }
                w.WriteEndObject();
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Runs <paramref name="read"/> once per key range of the merchant's customers (cut from <paramref name="ids"/>),
    /// all at once, each on its own connection in its own read transaction (SQLite's readers do not wait for each
    /// other): one range a core. <paramref name="read"/> gets the condition on <c>b.customer_id</c> and its
    /// parameters (<c>@m</c> included). The ranges share no customer.
    /// </summary>
    internal static async Task InKeyRangesAsync(IDbContextFactory<PlatformDbContext> factory, string merchantId, IReadOnlyList<string> ids,
        Func<DbConnection, DbTransaction, string, (string, object?)[], CancellationToken, Task> read, CancellationToken ct)
    {
        var cuts = SplitPoints(ids, Math.Clamp(Environment.ProcessorCount, 1, 8));
        await Parallel.ForEachAsync(Enumerable.Range(0, cuts.Count + 1), ct, async (k, token) =>
        {
            await using var db = await factory.CreateDbContextAsync(token);
            var conn = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(token);
            await using var tx = await Sql.BeginReadAsync(conn);
            var (only, values) = KeyRange(k, cuts, merchantId);
            await read(conn, tx, only, values, token);
            await tx.CommitAsync(token);
        });
    }

    /// <summary>The condition on <c>b.customer_id</c> for range <paramref name="k"/> of those the cuts make, with its parameters.</summary>
    private static (string Only, (string, object?)[] Values) KeyRange(int k, IReadOnlyList<string> cuts, string merchantId)
    {
        if (cuts.Count == 0) return ("b.customer_id IS NOT NULL", [("@m", merchantId)]);
        if (k == 0) return ("b.customer_id < @hi", [("@m", merchantId), ("@hi", cuts[0])]);
        if (k == cuts.Count) return ("b.customer_id >= @lo", [("@m", merchantId), ("@lo", cuts[^1])]);
        return ("b.customer_id >= @lo AND b.customer_id < @hi", [("@m", merchantId), ("@lo", cuts[k - 1]), ("@hi", cuts[k])]);
    }

    /// <summary>Wall time of a scoring's steps, for the log line that reports it ("read 9.1 s, value 1.2 s, …").</summary>
    public sealed class Phases(TimeProvider clock)
    {
        private readonly List<(string Name, TimeSpan Took)> _done = [];
        private long _since = clock.GetTimestamp();

        public void Mark(string name)
        {
            var now = clock.GetTimestamp();
            _done.Add((name, clock.GetElapsedTime(_since, now)));
            _since = now;
        }

        public override string ToString() =>
            string.Join(", ", _done.Select(d => $"{d.Name} {d.Took.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} s"));
    }

    private sealed class Accumulator(string id)
    {
        public readonly string Id = id;
        public readonly List<Transaction> Transactions = [];
        public readonly HashSet<string> Stores = new(StringComparer.Ordinal);
        public decimal Total, Spend12, Last6, Prior6;
        public int Paid, Cancelled, Returned, Reviews, Messages;
        public double RatingSum;
        public readonly CustomerActivity Activity = new();
    }
}

/// <summary>RFM segment names as the API shows and filters them: kebab-case (<c>potential-loyalists</c>, <c>cant-lose</c>).</summary>
public static class Segments
{
    public static string Name(RfmSegment segment) => Rfm.Label(segment).Replace("'", "", StringComparison.Ordinal).Replace(' ', '-');

    public static IReadOnlyList<string> All { get; } = Enum.GetValues<RfmSegment>().Select(Name).ToList();

    /// <summary>The segment a filter names, accepting the label too ("potential loyalists", "can't lose"); null when unknown.</summary>
    public static string? Parse(string value)
    {
        var key = value.Trim().ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal).Replace(' ', '-').Replace('_', '-');
        return All.FirstOrDefault(s => s == key || s.Replace("-", "", StringComparison.Ordinal) == key);
    }
}
