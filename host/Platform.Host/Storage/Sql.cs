using System.Data.Common;

namespace Platform.Host.Storage;

/// <summary>
/// Small helpers for the hand-written SQL on hot paths (provider-neutral: @name parameters, ON CONFLICT; the rest is
/// adapted to the connection's provider by <see cref="SqlDialect.For(DbConnection, string)"/>).
/// </summary>
public static class Sql
{
    public static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    /// <summary>Whether <paramref name="e"/> (or what caused it) is a unique or primary key violation, on SQLite or PostgreSQL.</summary>
    public static bool IsUniqueViolation(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 }) return true;
            if (x is Npgsql.PostgresException { SqlState: "23505" }) return true;
        }
        return false;
    }

    public static void Set(DbCommand cmd, string name, object? value) => cmd.Parameters[name].Value = value ?? DBNull.Value;

    /// <summary>A prepared command in <paramref name="tx"/> with the named parameters, for running many times.</summary>
    public static DbCommand Prepare(DbConnection conn, DbTransaction tx, string sql, params string[] names)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = SqlDialect.For(conn, sql);
        foreach (var n in names) Add(cmd, n, null);
        cmd.Prepare();
        return cmd;
    }

    /// <summary>Runs a prepared command with these values (synchronously: the SQLite provider is synchronous anyway).</summary>
    public static void Run(DbCommand cmd, params (string Name, object? Value)[] values)
    {
        foreach (var (n, v) in values) Set(cmd, n, v);
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// A read-only transaction: deferred in SQLite (a plain <c>BEGIN</c> takes no write lock, unlike the provider's
    /// default <c>BEGIN IMMEDIATE</c>), so it waits for no writer and no writer waits for it. Its reads see one snapshot
    /// (WAL): on PostgreSQL that is REPEATABLE READ (read committed would give each statement its own), which never
    /// blocks or fails a reader.
    /// </summary>
    public static async Task<DbTransaction> BeginReadAsync(DbConnection conn) =>
        conn is Microsoft.Data.Sqlite.SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true)
        : SqlDialect.IsPostgres(conn) ? await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead)
        : await conn.BeginTransactionAsync();

    /// <summary>Runs one statement once; returns the number of rows it changed.</summary>
    public static async Task<int> ExecAsync(DbConnection conn, DbTransaction tx, string sql, params (string Name, object? Value)[] values)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = SqlDialect.For(conn, sql);
        foreach (var (n, v) in values) Add(cmd, n, v);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Runs a query and hands each row to <paramref name="row"/> (read synchronously, like <see cref="Run"/>). With
    /// <paramref name="inList"/>, <c>{in}</c> in the SQL becomes its parameters, for <c>IN ({in})</c>.
    /// </summary>
    public static async Task EachAsync(DbConnection conn, DbTransaction? tx, string sql, (string Name, object? Value)[] values, Action<DbDataReader> row,
        CancellationToken ct, IReadOnlyList<string>? inList = null)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = SqlDialect.For(conn, inList is null ? sql : sql.Replace("{in}", AddList(cmd, "in", inList), StringComparison.Ordinal));
        foreach (var (n, v) in values) Add(cmd, n, v);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (r.Read()) row(r);
    }

    /// <summary>Runs a query for one value (null when it returns no row).</summary>
    public static async Task<object?> ScalarAsync(DbConnection conn, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] values)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = SqlDialect.For(conn, sql);
        foreach (var (n, v) in values) Add(cmd, n, v);
        return await cmd.ExecuteScalarAsync(ct);
    }

    /// <summary>Adds <c>@prefix0..n</c> parameters and returns "@prefix0,@prefix1,…" for an IN list.</summary>
    public static string AddList<T>(DbCommand cmd, string prefix, IReadOnlyList<T> values)
    {
        // SQLite takes an empty "IN ()" (matches nothing); PostgreSQL does not, and "IN (NULL)" matches nothing there too.
        if (values.Count == 0 && cmd.Connection is { } conn && SqlDialect.IsPostgres(conn)) return "NULL";
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            Add(cmd, names[i], values[i]);
        }
        return string.Join(',', names);
    }
}
