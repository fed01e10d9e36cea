using System.Data.Common;

namespace Platform.Host.Storage;

/// <summary>Small helpers for the hand-written SQL on hot paths (provider-neutral: @name parameters, ON CONFLICT).</summary>
public static class Sql
{
    public static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    public static void Set(DbCommand cmd, string name, object? value) => cmd.Parameters[name].Value = value ?? DBNull.Value;

    /// <summary>Adds <c>@prefix0..n</c> parameters and returns "@prefix0,@prefix1,…" for an IN list.</summary>
    public static string AddList<T>(DbCommand cmd, string prefix, IReadOnlyList<T> values)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            Add(cmd, names[i], values[i]);
        }
        return string.Join(',', names);
    }
}
