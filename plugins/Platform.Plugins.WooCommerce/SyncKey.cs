namespace Platform.Plugins.WooCommerce;

/// <summary>
/// The cursor: the change time of the last record returned and the ids returned at exactly that time (several
/// records can share a second, and WooCommerce does not say how it orders ties). A record is new when it changed
/// later, or at that second with an id not in <see cref="Ids"/>.
/// </summary>
internal sealed record SyncKey(DateTimeOffset Time, long[] Ids)
{
    public bool Covers(DateTimeOffset changedAt, long id) =>
        changedAt < Time || (changedAt == Time && Ids.Contains(id));

    public SyncKey After(DateTimeOffset changedAt, long id) =>
        changedAt > Time ? new SyncKey(changedAt, [id]) : new SyncKey(Time, [.. Ids, id]);
}
