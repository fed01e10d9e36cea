using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Platform.Host.Storage;

/// <summary>
/// Where the hand-written SQL differs between the providers, decided by the connection at hand (the host runs on one
/// provider, chosen by <c>Platform:Database:Provider</c>). Everything else is written once for both: <c>@name</c>
/// parameters, <c>ON CONFLICT</c>, <c>RETURNING</c>, <c>IS DISTINCT FROM</c>, <c>TRUE</c>/<c>FALSE</c>, times and money as integers.
/// </summary>
public static partial class SqlDialect
{
    public const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static bool IsPostgres(DbConnection connection) => connection is Npgsql.NpgsqlConnection;

    public static bool IsPostgres(DatabaseFacade database) => database.ProviderName == NpgsqlProvider;

    /// <summary>
    /// The SQL as this connection's provider takes it. SQLite's <c>CROSS JOIN t x ON …</c> (an inner join whose order the
    /// planner keeps: the host's hint for SQLite) becomes <c>JOIN t x ON …</c> on PostgreSQL, which plans join order itself
    /// and allows no <c>ON</c> after <c>CROSS JOIN</c>. SQLite gets the text unchanged.
    /// </summary>
    public static string For(DbConnection connection, string sql) => IsPostgres(connection) ? ForPostgres(sql) : sql;

    /// <inheritdoc cref="For(DbConnection, string)"/>
    public static string For(DatabaseFacade database, string sql) => IsPostgres(database) ? ForPostgres(sql) : sql;

    private static string ForPostgres(string sql) => CrossJoinOn().Replace(sql, "JOIN $1 ON ");

    [GeneratedRegex(@"\bCROSS\s+JOIN\s+(\w+(?:\s+(?!ON\b)\w+)?)\s+ON\s+", RegexOptions.CultureInvariant)]
    private static partial Regex CrossJoinOn();
}
