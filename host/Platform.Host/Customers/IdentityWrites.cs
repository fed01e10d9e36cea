using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Platform.Crm.Identity;
using Platform.Host.Storage;

namespace Platform.Host.Customers;

/// <summary>The identity graph's statements: customers created, merged, split and erased, inside the caller's transaction.</summary>
internal sealed class IdentityWrites(DbConnection conn, DbTransaction tx, string merchantId, DateTimeOffset now)
{
    private long Now => now.ToUnixTimeMilliseconds();

    public Task<int> CreateCustomerAsync(long sequence) => Sql.ExecAsync(conn, tx,
        "INSERT INTO customers (merchant_id, id, sequence, merged_into, orders, revenue, unconverted_orders, created_at, updated_at) VALUES (@m, @id, @seq, NULL, 0, 0, 0, @now, @now)",
        ("@m", merchantId), ("@id", CustomerIds.Of(sequence)), ("@seq", sequence), ("@now", Now));

    /// <summary>Moves everything of <see cref="Merge.From"/> to <see cref="Merge.Into"/> and notes the merge on the survivor's timeline.</summary>
    public async Task MergeAsync(Merge merge)
    {
        var from = CustomerIds.Of(merge.From);
        var into = CustomerIds.Of(merge.Into);
        (string, object?)[] ids = [("@m", merchantId), ("@from", from), ("@into", into)];
        await Sql.ExecAsync(conn, tx, "UPDATE customers SET merged_into = @into, updated_at = @now WHERE merchant_id = @m AND id = @from", [.. ids, ("@now", Now)]);
        await Sql.ExecAsync(conn, tx, "UPDATE customers SET merged_into = @into WHERE merchant_id = @m AND merged_into = @from", ids);
        await Sql.ExecAsync(conn, tx, "UPDATE customer_keys SET customer_id = @into WHERE merchant_id = @m AND customer_id = @from", ids);
        await Sql.ExecAsync(conn, tx, "UPDATE buyers SET customer_id = @into WHERE merchant_id = @m AND customer_id = @from", ids);
        await Sql.ExecAsync(conn, tx, "UPDATE customer_events SET customer_id = @into WHERE merchant_id = @m AND customer_id = @from", ids);
        await Sql.ExecAsync(conn, tx, "UPDATE points_ledger SET customer_id = @into WHERE merchant_id = @m AND customer_id = @from", ids);
        await EventAsync(into, "merge", $"Merged {from} into {into}: {merge.Reason}");
        await SearchIndex.RemoveAsync(conn, tx, merchantId, from);
    }

    public Task<int> EventAsync(string customer, string kind, string text) => Sql.ExecAsync(conn, tx,
        "INSERT INTO customer_events (merchant_id, customer_id, kind, text, at) VALUES (@m, @c, @k, @t, @now)",
        ("@m", merchantId), ("@c", customer), ("@k", kind), ("@t", text), ("@now", Now));

    /// <summary>Replaces a customer's keys (after a split).</summary>
    public async Task ReplaceKeysAsync(string customer, IEnumerable<string> keys)
    {
        await Sql.ExecAsync(conn, tx, "DELETE FROM customer_keys WHERE merchant_id = @m AND customer_id = @c", ("@m", merchantId), ("@c", customer));
        await AddKeysAsync(keys.Select(k => (k, customer)));
    }

    public async Task AddKeysAsync(IEnumerable<(string Key, string Customer)> keys)
    {
        await using var cmd = Sql.Prepare(conn, tx, "INSERT INTO customer_keys (merchant_id, key, customer_id) VALUES (@m, @k, @c) ON CONFLICT (merchant_id, key) DO UPDATE SET customer_id = excluded.customer_id", "@m", "@k", "@c");
        foreach (var (key, customer) in keys) Sql.Run(cmd, ("@m", merchantId), ("@k", key), ("@c", customer));
    }

    /// <summary>Moves accounts to a customer, marking them as split off into <paramref name="group"/>.</summary>
    public async Task MoveAccountsAsync(IEnumerable<BuyerRow> accounts, string customer, string group)
    {
        await using var cmd = Sql.Prepare(conn, tx, "UPDATE buyers SET customer_id = @c, split_group = @g WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b", "@c", "@g", "@m", "@s", "@b");
        foreach (var a in accounts) Sql.Run(cmd, ("@c", customer), ("@g", group), ("@m", merchantId), ("@s", a.StoreId), ("@b", a.BuyerId));
    }

    /// <summary>
    /// Erases a person: their records (raw included), accounts, keys, events and customer rows (merged-away ids
    /// included), leaving tombstones of their identifiers. Returns what was deleted, by kind.
    /// </summary>
    public async Task<Dictionary<string, int>> EraseAsync(string customer, IReadOnlyList<BuyerRow> accounts, IReadOnlyCollection<string> tombstones)
    {
        var counts = new Dictionary<string, int>
        {
            ["orders"] = 0, ["orderLines"] = 0, ["reviews"] = 0, ["messages"] = 0, ["rawRecords"] = 0,
            ["accounts"] = accounts.Count, ["customerIds"] = 0, ["events"] = 0, ["tombstones"] = tombstones.Count, ["cases"] = 0, ["conversations"] = 0,
        };
        foreach (var a in accounts)
        {
            (string, object?)[] p = [("@m", merchantId), ("@s", a.StoreId), ("@b", a.BuyerId)];
            const string orders = "SELECT external_id FROM orders WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b";
            const string reviews = $"SELECT external_id FROM reviews WHERE merchant_id = @m AND store_id = @s AND (buyer_id = @b OR order_external_id IN ({orders}))";
            const string messages = "SELECT external_id FROM messages WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b";
            // Cases about the person (theirs, or about their reviews and orders) with their history, and their conversations.
            const string cases = $"SELECT id FROM cases WHERE merchant_id = @m AND store_id = @s AND (buyer_id = @b OR review_external_id IN ({reviews}) OR order_external_id IN ({orders}))";
            await Sql.ExecAsync(conn, tx, $"DELETE FROM case_events WHERE merchant_id = @m AND case_id IN ({cases})", p);
            counts["cases"] += await Sql.ExecAsync(conn, tx, $"DELETE FROM cases WHERE id IN ({cases})", p);
            counts["conversations"] += await Sql.ExecAsync(conn, tx, "DELETE FROM conversations WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b", p);
            counts["rawRecords"] += await Sql.ExecAsync(conn, tx, $"DELETE FROM raw_records WHERE merchant_id = @m AND store_id = @s AND stream = 'orders' AND external_id IN ({orders})", p);
            counts["rawRecords"] += await Sql.ExecAsync(conn, tx, $"DELETE FROM raw_records WHERE merchant_id = @m AND store_id = @s AND stream = 'reviews' AND external_id IN ({reviews})", p);
            counts["rawRecords"] += await Sql.ExecAsync(conn, tx, $"DELETE FROM raw_records WHERE merchant_id = @m AND store_id = @s AND stream = 'chats' AND external_id IN ({messages})", p);
            counts["reviews"] += await Sql.ExecAsync(conn, tx, $"DELETE FROM reviews WHERE merchant_id = @m AND store_id = @s AND external_id IN ({reviews})", p);
            counts["orderLines"] += await Sql.ExecAsync(conn, tx, $"DELETE FROM order_lines WHERE merchant_id = @m AND store_id = @s AND order_external_id IN ({orders})", p);
            counts["orders"] += await Sql.ExecAsync(conn, tx, "DELETE FROM orders WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b", p);
            counts["messages"] += await Sql.ExecAsync(conn, tx, "DELETE FROM messages WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b", p);
            await Sql.ExecAsync(conn, tx, "DELETE FROM outbox WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b", p);
            await Sql.ExecAsync(conn, tx, "DELETE FROM buyers WHERE merchant_id = @m AND store_id = @s AND buyer_id = @b", p);
        }
        (string, object?)[] c = [("@m", merchantId), ("@c", customer)];
        await Sql.ExecAsync(conn, tx, "DELETE FROM customer_keys WHERE merchant_id = @m AND customer_id = @c", c);
        counts["events"] = await Sql.ExecAsync(conn, tx, "DELETE FROM customer_events WHERE merchant_id = @m AND customer_id = @c", c);
        await Sql.ExecAsync(conn, tx, "DELETE FROM customer_scores WHERE merchant_id = @m AND customer_id = @c", c);
        counts["points"] = await Sql.ExecAsync(conn, tx, "DELETE FROM points_ledger WHERE merchant_id = @m AND customer_id = @c", c);
        counts["customerIds"] = await Sql.ExecAsync(conn, tx, "DELETE FROM customers WHERE merchant_id = @m AND (id = @c OR merged_into = @c)", c);
        await SearchIndex.RemoveAsync(conn, tx, merchantId, customer);
        await using (var cmd = Sql.Prepare(conn, tx, "INSERT INTO tombstones (merchant_id, hash, customer_id, erased_at) VALUES (@m, @h, @c, @now) ON CONFLICT DO NOTHING", "@m", "@h", "@c", "@now"))
            foreach (var hash in tombstones) Sql.Run(cmd, ("@m", merchantId), ("@h", hash), ("@c", customer), ("@now", Now));
        return counts;
    }
}

/// <summary>Hashes of an erased person's identifiers: salted with the merchant, one-way.</summary>
public static class Tombstones
{
    public static string Hash(string merchantId, string identifierKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{merchantId}\n{identifierKey}")));

    /// <summary>The identifiers of an account that mark it as erased: its buyer id, and its email and phone when valid.</summary>
    public static IEnumerable<string> KeysOf(string marketplace, string buyerId, string? email, string? phone)
    {
        yield return IdentityKeys.Buyer(marketplace, buyerId);
        if (email is not null) yield return IdentityKeys.Email(email);
        if (phone is not null) yield return IdentityKeys.Phone(phone);
    }
}
