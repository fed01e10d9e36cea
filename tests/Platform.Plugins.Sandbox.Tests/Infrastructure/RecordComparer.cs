using Platform.Abstractions;

namespace Platform.Plugins.Sandbox.Tests.Infrastructure;

/// <summary>Compares records by value, including their lines (records compare lists by reference).</summary>
internal sealed class RecordComparer : IEqualityComparer<SourceRecord>
{
    public static readonly RecordComparer Instance = new();

    private static readonly OrderLine[] NoLines = [];

    public bool Equals(SourceRecord? x, SourceRecord? y) => (x, y) switch
    {
        (OrderRecord a, OrderRecord b) => a with { Lines = NoLines } == b with { Lines = NoLines } && a.Lines.SequenceEqual(b.Lines),
        _ => object.Equals(x, y),
    };

    public int GetHashCode(SourceRecord obj) => obj.ExternalId.GetHashCode(StringComparison.Ordinal);
}
