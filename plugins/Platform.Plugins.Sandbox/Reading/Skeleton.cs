namespace Platform.Plugins.Sandbox.Reading;

/// <summary>
/// The cheap part of a record: its sort key and where it comes from (order k of a day, and which message of
/// the order's conversation). Reads filter and sort skeletons, then build full records only for the pages they return.
/// </summary>
internal readonly record struct Skeleton(long ChangedTicks, string ExternalId, long Day, int Index, int Part) : IComparable<Skeleton>
{
    public int CompareTo(Skeleton other)
    {
        var byTime = ChangedTicks.CompareTo(other.ChangedTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(ExternalId, other.ExternalId);
    }
}
