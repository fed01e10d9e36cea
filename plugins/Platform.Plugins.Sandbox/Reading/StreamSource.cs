using Platform.Abstractions;
using Platform.Plugins.Sandbox.Orders;

namespace Platform.Plugins.Sandbox.Reading;

/// <summary>One stream's records, all derived from orders.</summary>
internal abstract class StreamSource(OrderPlanner planner)
{
    protected OrderPlanner Planner => planner;

    /// <summary>Adds the skeletons of the records that order <paramref name="index"/> of <paramref name="day"/> has at <paramref name="now"/>.</summary>
    public abstract void Collect(long day, int index, in OrderTimeline timeline, long now, SkeletonCollector collector);

    /// <summary>Builds the full record of a skeleton as it stands at <paramref name="now"/>.</summary>
    public abstract SourceRecord Materialize(in Skeleton skeleton, long now, ReadSession session);
}
