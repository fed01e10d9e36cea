using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.Reading;

/// <summary>Keeps the skeletons changed within [From, To] that come after the read position, if any.</summary>
internal sealed class SkeletonCollector(long fromTicks, long toTicks, ReadPosition? after)
{
    public long From => fromTicks;
    public long To => toTicks;
    public List<Skeleton> Items { get; } = [];

    public bool Wants(long changedSeconds)
    {
        var ticks = UnixTime.ToTicks(changedSeconds);
        return ticks >= fromTicks && ticks <= toTicks;
    }

    public void Add(long changedSeconds, string externalId, long day, int index, int part = 0)
    {
        var ticks = UnixTime.ToTicks(changedSeconds);
        if (after is { } position && ticks == position.Ticks && string.CompareOrdinal(externalId, position.ExternalId) <= 0)
            return;
        Items.Add(new Skeleton(ticks, externalId, day, index, part));
    }
}
