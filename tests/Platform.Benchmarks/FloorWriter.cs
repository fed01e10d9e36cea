using Microsoft.Data.Sqlite;

namespace Platform.Benchmarks;

/// <summary>
/// The least a connector page needs in SQLite: raw payloads, orders, lines and the cursor, ONE transaction per page,
/// with prepared commands created once and reused. WAL, synchronous=NORMAL (as a durable-enough embedded store).
/// </summary>
public sealed class FloorWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _raw, _order, _line, _cursor;

    public FloorWriter(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        Execute("""
            CREATE TABLE raw (store TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (store, id));
            CREATE TABLE orders (store TEXT NOT NULL, id TEXT NOT NULL, buyer TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,
                                 status TEXT NOT NULL, currency TEXT NOT NULL, total INTEGER NOT NULL, PRIMARY KEY (store, id));
            CREATE TABLE lines (order_id TEXT NOT NULL, n INTEGER NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL, price INTEGER NOT NULL, PRIMARY KEY (order_id, n));
            CREATE TABLE cursor (store TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL);
            """);
        _raw = Prepare("INSERT INTO raw (store, id, json) VALUES ($s, $id, $json) ON CONFLICT (store, id) DO UPDATE SET json = excluded.json",
            "$s", "$id", "$json");
        _order = Prepare("""
            INSERT INTO orders (store, id, buyer, created, updated, status, currency, total) VALUES ($s, $id, $b, $c, $u, $st, $cur, $t)
            ON CONFLICT (store, id) DO UPDATE SET buyer = excluded.buyer, created = excluded.created, updated = excluded.updated,
              status = excluded.status, currency = excluded.currency, total = excluded.total
            """, "$s", "$id", "$b", "$c", "$u", "$st", "$cur", "$t");
        _line = Prepare("INSERT OR REPLACE INTO lines (order_id, n, sku, qty, price) VALUES ($o, $n, $sku, $q, $p)", "$o", "$n", "$sku", "$q", "$p");
        _cursor = Prepare("INSERT INTO cursor (store, json) VALUES ($s, $json) ON CONFLICT (store) DO UPDATE SET json = excluded.json", "$s", "$json");
    }

    public void WritePage(string store, IReadOnlyList<ParsedOrder> orders)
    {
        if (orders.Count == 0) return;
        using var tx = _connection.BeginTransaction();
        _raw.Transaction = _order.Transaction = _line.Transaction = _cursor.Transaction = tx;
        foreach (var o in orders)
        {
            Set(_raw, store, o.Id, o.RawJson);
            _raw.ExecuteNonQuery();

            Set(_order, store, o.Id, o.Buyer, o.Created, o.Updated, o.Status, o.Currency, Money(o.Total));
            _order.ExecuteNonQuery();

            for (var i = 0; i < o.Lines.Length; i++)
            {
                var l = o.Lines[i];
                Set(_line, o.Id, i + 1, l.Sku, l.Quantity, Money(l.Price));
                _line.ExecuteNonQuery();
            }
        }
        var last = orders[^1];
        Set(_cursor, store, System.Text.Json.JsonSerializer.Serialize(new { changedAt = last.Updated, externalId = last.Id }));
        _cursor.ExecuteNonQuery();
        tx.Commit();
    }

    public long CountOrders()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM orders";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Money as integer ten-thousandths, like the host stores it.</summary>
    private static long Money(decimal value) => (long)decimal.Round(value * 10_000m, MidpointRounding.AwayFromZero);

    private static void Set(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in names) cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        cmd.Prepare();
        return cmd;
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _raw.Dispose();
        _order.Dispose();
        _line.Dispose();
        _cursor.Dispose();
        _connection.Dispose();
    }
}
