using System.Data.Common;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;
using Microsoft.Extensions.Options;
using Platform.Host.Merchants;

namespace Platform.Host.Customers;

/// <summary>
/// Recomputes customers' list projection (display contact, order stats in the merchant's currency) from
/// the stored orders. A recomputation, not an increment: applying the same events twice changes nothing.
/// </summary>
public sealed class CustomerProjector(IOptions<PlatformOptions> options, MerchantDirectory merchants)
{
    /// <summary>Order statuses that count as an order placed.</summary>
    public static readonly string[] Counted = ["pending", "paid", "shipped", "delivered", "completed", "refunded", "returned"];
    /// <summary>Order statuses whose total counts as revenue.</summary>
    public static readonly string[] Revenue = ["paid", "shipped", "delivered", "completed"];

    /// <summary>
    /// Reads the customers' orders and accounts and computes their projection, in one read transaction: one
    /// snapshot, and SQLite's page cache stays warm across the chunks (a commit by another connection between two
    /// autocommit reads would empty it).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CustomerStats>> ComputeAsync(DbConnection conn, string merchantId, IReadOnlyList<string> customers)
    {
        var currency = await merchants.CurrencyAsync(merchantId);
        var stats = customers.ToDictionary(c => c, _ => new CustomerStats(), StringComparer.Ordinal);
        await using var read = await Sql.BeginReadAsync(conn);
        foreach (var chunk in customers.Chunk(400))
        {
            await using (var cmd = conn.CreateCommand())
            {
                cmd.Transaction = read;
                // CROSS JOIN keeps buyers as the outer loop in SQLite (found by customer id, then their orders by
                // index); without it the planner may scan every order of the merchant for each chunk.
                cmd.CommandText = $"""
                    SELECT b.customer_id, o.currency, o.total, o.status, o.created_at
                    FROM buyers b CROSS JOIN orders o
                    WHERE b.merchant_id = @m AND b.customer_id IN ({Sql.AddList(cmd, "c", chunk)})
                      AND o.merchant_id = b.merchant_id AND o.store_id = b.store_id AND o.buyer_id = b.buyer_id
                    """;
                Sql.Add(cmd, "@m", merchantId);
                await using var r = await cmd.ExecuteReaderAsync();
                while (r.Read())
                {
                    var s = stats[r.GetString(0)];
                    var status = r.GetString(3);
                    if (!Counted.Contains(status)) continue;
                    var createdAt = r.GetInt64(4);
                    s.Orders++;
                    s.First = s.First is null ? createdAt : Math.Min(s.First.Value, createdAt);
                    s.Last = s.Last is null ? createdAt : Math.Max(s.Last.Value, createdAt);
                    if (!Revenue.Contains(status)) continue;
                    var amount = options.Value.ExchangeRates.Convert(Money.FromStored(r.GetInt64(2)), r.GetString(1), currency, UnixMillisecondsConverter.UtcDay(createdAt));
                    if (amount is null) s.Unconverted++;
                    else s.Revenue += amount.Value;
                }
            }
            await using (var cmd = conn.CreateCommand())
            {
                cmd.Transaction = read;
                cmd.CommandText = $"""
                    SELECT customer_id, name, email_raw, email, phone, buyer_id FROM buyers
                    WHERE merchant_id = @m AND customer_id IN ({Sql.AddList(cmd, "c", chunk)}) ORDER BY updated_at, first_seen_at
                    """;
                Sql.Add(cmd, "@m", merchantId);
                await using var r = await cmd.ExecuteReaderAsync();
                while (r.Read())
                {
                    var s = stats[r.GetString(0)];
                    var name = r.IsDBNull(1) ? null : r.GetString(1);
                    var email = r.IsDBNull(3) ? null : r.GetString(3);
                    var phone = r.IsDBNull(4) ? null : r.GetString(4);
                    if (name is not null) s.Name = name;
                    if (email is not null) s.Email = email;
                    if (phone is not null) s.Phone = phone;
                    s.Accounts.Add((name, email, phone, r.GetString(5)));
                }
            }
            await using (var cmd = conn.CreateCommand())
            {
                cmd.Transaction = read;
                // What is stored now, so that applying writes only what changed and looks nothing up under the write lock.
                cmd.CommandText = $"""
                    SELECT c.id, c.name, c.email, c.phone, c.orders, c.revenue, c.unconverted_orders, c.first_order_at, c.last_order_at,
                      r.search_rowid, s.text, c.sequence
                    FROM customers c LEFT JOIN customer_search_rows r ON r.merchant_id = c.merchant_id AND r.customer_id = c.id
                      LEFT JOIN customer_search s ON s.rowid = r.search_rowid
                    WHERE c.merchant_id = @m AND c.id IN ({Sql.AddList(cmd, "c", chunk)})
                    """;
                Sql.Add(cmd, "@m", merchantId);
                await using var r = await cmd.ExecuteReaderAsync();
                while (r.Read())
                {
                    var s = stats[r.GetString(0)];
                    s.Stored = new StoredProjection(r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                        r.GetInt32(4), r.GetInt64(5), r.GetInt32(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.IsDBNull(8) ? null : r.GetInt64(8));
                    s.SearchRow = r.IsDBNull(9) ? null : (r.GetInt64(9), r.IsDBNull(10) ? null : r.GetString(10));
                    s.Sequence = r.GetInt64(11);
                }
            }
        }
        await read.CommitAsync();
        foreach (var s in stats.Values) s.SearchText = s.Accounts.Count == 0 ? null : SearchIndex.Text(s.Accounts);
        return stats;
    }

    /// <summary>Writes computed projections.</summary>
    public async Task ApplyAsync(DbConnection conn, DbTransaction tx, string merchantId, IReadOnlyDictionary<string, CustomerStats> stats, DateTimeOffset now)
    {
        await using var update = Sql.Prepare(conn, tx, """
            UPDATE customers SET name = @n, email = @e, phone = @p, orders = @o, revenue = @r, unconverted_orders = @u,
              first_order_at = @f, last_order_at = @l, updated_at = @now
            WHERE merchant_id = @m AND id = @id
            """, "@n", "@e", "@p", "@o", "@r", "@u", "@f", "@l", "@now", "@m", "@id");
        await using (var search = new SearchIndexWriter(conn, tx, merchantId))
        {
            // In rowid order (on SQLite a search row's rowid is the merchant's base plus the customer's sequence): FTS5
            // keeps a transaction's changes in memory only while their rowids ascend, and writes them out as a new
            // segment (to be merged later) each time one goes back. In the customers' order nearly every row did.
            foreach (var (id, s) in stats.OrderBy(e => e.Value.Sequence))
            {
                if (s.SearchText is null) search.Remove(id, s.SearchRow);
                else search.Upsert(id, s.SearchText, s.SearchRow);
            }
        }
        foreach (var (id, s) in stats)
        {
            var revenue = Money.ToStored(decimal.Round(s.Revenue, 2));
            if (s.Stored == new StoredProjection(s.Name, s.Email, s.Phone, s.Orders, revenue, s.Unconverted, s.First, s.Last)) continue;
            Sql.Set(update, "@n", s.Name);
            Sql.Set(update, "@e", s.Email);
            Sql.Set(update, "@p", s.Phone);
            Sql.Set(update, "@o", s.Orders);
            Sql.Set(update, "@r", revenue);
            Sql.Set(update, "@u", s.Unconverted);
            Sql.Set(update, "@f", s.First);
            Sql.Set(update, "@l", s.Last);
            Sql.Set(update, "@now", now.ToUnixTimeMilliseconds());
            Sql.Set(update, "@m", merchantId);
            Sql.Set(update, "@id", id);
            update.ExecuteNonQuery();
        }
    }
}

/// <summary>One customer's projection as computed from its orders and accounts.</summary>
public sealed class CustomerStats
{
    public int Orders, Unconverted;
    public decimal Revenue;
    public long? First, Last;
    public string? Name, Email, Phone;
    /// <summary>The customer's accounts (name, email, phone, buyer id), for the search index.</summary>
    public List<(string? Name, string? Email, string? Phone, string BuyerId)> Accounts { get; } = [];
    /// <summary>The search text computed from <see cref="Accounts"/> (null: no accounts, no search row).</summary>
    public string? SearchText { get; set; }
    /// <summary>The customer's row as stored when computed (null: not read).</summary>
    public StoredProjection? Stored { get; set; }
    /// <summary>The customer's <c>sequence</c> (creation order), which orders the search rows' writes.</summary>
    public long Sequence { get; set; }

    /// <summary>The customer's search row and its text as stored when computed (null: none).</summary>
    public (long RowId, string? Text)? SearchRow { get; set; }
}

/// <summary>The projected columns of a customer row (revenue as stored, in minor units).</summary>
public sealed record StoredProjection(string? Name, string? Email, string? Phone, int Orders, long Revenue, int Unconverted, long? First, long? Last);
