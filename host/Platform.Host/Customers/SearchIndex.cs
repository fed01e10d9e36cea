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
/// <para>
/// On SQLite each merchant's rows have rowids in a range of their own (<see cref="RangeSize"/> from the merchant's
/// <c>base</c> in <c>customer_search_merchants</c>), and a row's rowid is the base plus its customer's <c>sequence</c>:
/// a search counts and finds one merchant's hits from the FTS index alone (a rowid range constraint) and reaches each
/// hit's customer by key, with no look-up of every hit in <c>customer_search_rows</c>.
/// </para>
/// </summary>
public static class SearchIndex
{
    /// <summary>The rowids a merchant's search rows take on SQLite: [base, base + RangeSize), base a multiple of it.</summary>
    public const long RangeSize = 1L << 40;

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
    private long? _base;

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
        long created;
        if (SqlDialect.IsPostgres(conn))
        {
            _insert ??= Sql.Prepare(conn, tx, "INSERT INTO customer_search (text) VALUES (@t) RETURNING rowid", "@t");
            Sql.Set(_insert, "@t", text);
            created = Convert.ToInt64(_insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            // The merchant's base plus the customer's sequence (see SearchIndex). FTS5 tables do not support
            // RETURNING: the new row's id is last_insert_rowid() on this connection.
            var rangeBase = Base();
            _insert ??= Sql.Prepare(conn, tx, """
                INSERT INTO customer_search (rowid, text) VALUES (@b + (SELECT sequence FROM customers WHERE merchant_id = @m AND id = @c), @t);
                SELECT last_insert_rowid();
                """, "@b", "@m", "@c", "@t");
            Sql.Set(_insert, "@b", rangeBase);
            Sql.Set(_insert, "@m", merchantId);
            Sql.Set(_insert, "@c", customerId);
            Sql.Set(_insert, "@t", text);
            created = Convert.ToInt64(_insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            // A customer row missing (or a sequence out of range) would put the row outside the merchant's range,
            // where no search finds it: fail the batch instead (its transaction rolls back and the batch is retried).
            if (created < rangeBase || created >= rangeBase + SearchIndex.RangeSize)
                throw new InvalidOperationException($"search row of customer '{customerId}' of merchant '{merchantId}' got rowid {created}, outside the merchant's range from {rangeBase}: the customer row is missing or its sequence is out of range");
        }
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

    /// <summary>The merchant's rowid base on SQLite (see <see cref="SearchIndex"/>), given on its first search row.</summary>
    private long Base()
    {
        if (_base is { } known) return known;
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO customer_search_merchants (merchant_id, base)
            SELECT @m, (SELECT COALESCE(MAX(base), 0) + @size FROM customer_search_merchants)
            WHERE NOT EXISTS (SELECT 1 FROM customer_search_merchants WHERE merchant_id = @m);
            SELECT base FROM customer_search_merchants WHERE merchant_id = @m;
            """;
        Sql.Add(cmd, "@m", merchantId);
        Sql.Add(cmd, "@size", SearchIndex.RangeSize);
        _base = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return _base.Value;
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
