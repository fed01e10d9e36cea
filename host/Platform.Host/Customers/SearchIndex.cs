using System.Data.Common;
using Platform.Crm.Identity;
using Platform.Crm.Text;
using Platform.Host.Storage;

namespace Platform.Host.Customers;

/// <summary>
/// The customer search index (SQLite FTS5 with trigram tokens; on PostgreSQL a plain table with a pg_trgm GIN index):
/// one row per customer with its accounts' folded names, emails, phone digits and buyer ids, so <c>?q=</c> finds a
/// partial name, an email, a phone in any format or a buyer id through an index instead of a scan. Both providers keep
/// the rows in <c>customer_search (rowid, text)</c>, mapped to customers by <c>customer_search_rows</c>. Kept up to date by
/// the projector, in its transaction.
/// </summary>
public static class SearchIndex
{
    /// <summary>One customer's searchable text from its accounts.</summary>
    public static string Text(IEnumerable<(string? Name, string? Email, string? Phone, string BuyerId)> accounts)
    {
        var parts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, email, phone, buyerId) in accounts)
        {
            if (TextFold.Fold(name) is { Length: > 0 } n) parts.Add(n);
            if (email is not null) parts.Add(email);
            if (phone is not null) parts.Add(phone.TrimStart('+'));
            parts.Add(TextFold.Fold(buyerId));
        }
        return string.Join(" | ", parts);
    }

    /// <summary>
    /// The FTS query for a search text (a phrase: trigrams in order, so any substring of a row matches), or null
    /// when the text is too short for trigrams; <paramref name="like"/> is then the pattern to scan with.
    /// </summary>
    public static string? Match(string q, out string like)
    {
        var digits = IdentifierNormalizer.PhoneDigits(q);
        var looksLikePhone = digits is not null && q.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '+' or '-' or '(' or ')' or '.');
        var text = looksLikePhone ? digits! : IdentifierNormalizer.NormalizeEmail(q) ?? TextFold.Fold(q);
        like = "%" + text.Replace("%", "").Replace("_", "") + "%";
        return text.Length >= 3 ? "\"" + text.Replace("\"", "\"\"") + "\"" : null;
    }

    /// <summary>
    /// PostgreSQL's search condition on <c>s.text</c> (for <see cref="Match"/>'s <c>like</c> pattern): trigram-indexed
    /// ILIKE, the same substring semantics as the FTS5 phrase and SQLite's case-insensitive LIKE; no escape character.
    /// </summary>
    public const string PostgresCondition = "s.text ILIKE {1} ESCAPE ''";

    public static async Task RemoveAsync(DbConnection conn, DbTransaction tx, string merchantId, string customerId)
    {
        await using var writer = new SearchIndexWriter(conn, tx, merchantId);
        writer.Remove(customerId);
    }
}

/// <summary>Prepared statements that keep customers' search rows, within one transaction.</summary>
public sealed class SearchIndexWriter(DbConnection conn, DbTransaction tx, string merchantId) : IAsyncDisposable
{
    private DbCommand? _find, _update, _insert, _map, _delete, _unmap;

    public void Upsert(string customerId, string text) => Upsert(customerId, text, Find(customerId));

    /// <summary>Upserts with the customer's search row already looked up (<paramref name="row"/>: null when none).</summary>
    public void Upsert(string customerId, string text, (long RowId, string? Text)? row)
    {
        if (row is var (rowid, current))
        {
            // An FTS5 update rewrites every trigram of the row: skip it when the text is the same (most recomputations).
            if (current == text) return;
            Sql.Run(_update ??= Sql.Prepare(conn, tx, "UPDATE customer_search SET text = @t WHERE rowid = @r", "@t", "@r"), ("@t", text), ("@r", rowid));
            return;
        }
        // FTS5 tables do not support RETURNING: the new row's id is last_insert_rowid() on this connection.
        _insert ??= Sql.Prepare(conn, tx, SqlDialect.IsPostgres(conn)
            ? "INSERT INTO customer_search (text) VALUES (@t) RETURNING rowid"
            : "INSERT INTO customer_search (text) VALUES (@t); SELECT last_insert_rowid();", "@t");
        Sql.Set(_insert, "@t", text);
        var created = Convert.ToInt64(_insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        Sql.Run(_map ??= Sql.Prepare(conn, tx, "INSERT INTO customer_search_rows (merchant_id, customer_id, search_rowid) VALUES (@m, @c, @r)", "@m", "@c", "@r"),
            ("@m", merchantId), ("@c", customerId), ("@r", created));
    }

    public void Remove(string customerId) => Remove(customerId, Find(customerId));

    /// <summary>Removes with the customer's search row already looked up (<paramref name="row"/>: null when none).</summary>
    public void Remove(string customerId, (long RowId, string? Text)? row)
    {
        if (row is not var (rowid, _)) return;
        Sql.Run(_delete ??= Sql.Prepare(conn, tx, "DELETE FROM customer_search WHERE rowid = @r", "@r"), ("@r", rowid));
        Sql.Run(_unmap ??= Sql.Prepare(conn, tx, "DELETE FROM customer_search_rows WHERE merchant_id = @m AND customer_id = @c", "@m", "@c"), ("@m", merchantId), ("@c", customerId));
    }

    /// <summary>The customer's search row and its current text, or null.</summary>
    private (long RowId, string? Text)? Find(string customerId)
    {
        _find ??= Sql.Prepare(conn, tx, """
            SELECT r.search_rowid, s.text FROM customer_search_rows r LEFT JOIN customer_search s ON s.rowid = r.search_rowid
            WHERE r.merchant_id = @m AND r.customer_id = @c
            """, "@m", "@c");
        Sql.Set(_find, "@m", merchantId);
        Sql.Set(_find, "@c", customerId);
        using var r = _find.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1)) : null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in new[] { _find, _update, _insert, _map, _delete, _unmap })
            if (cmd is not null) await cmd.DisposeAsync();
    }
}
