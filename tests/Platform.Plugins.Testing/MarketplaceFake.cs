namespace Platform.Plugins.Testing;

/// <summary>
/// A marketplace as its documentation describes it, for one stream: it answers requests (listing, paging and
/// filtering <see cref="Items"/> by time as the real API does, with the documented payload shapes) and rejects
/// credentials when told to. The kit serves it over real HTTP and injects faults in front of it.
/// </summary>
public abstract class MarketplaceFake
{
    /// <summary>What the marketplace holds now; the kit replaces it between reads.</summary>
    public IReadOnlyList<SampleItem> Items { get; set; } = [];

    /// <summary>When true, the marketplace rejects the store's credentials as it documents (401/403 or its error body).</summary>
    public bool RejectCredentials { get; set; }

    /// <summary>The fake's "now" (the kit's clock), for answers that carry server time or token expiry.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Answers one request as the marketplace would.</summary>
    public abstract FakeResponse Handle(FakeRequest request);

    /// <summary>The marketplace's id of <paramref name="item"/> as the connector must report it in <c>ExternalId</c>.</summary>
    public abstract string ExternalIdOf(SampleItem item);

    /// <summary>
    /// Whether <paramref name="request"/> fetches a page of items (the calls whose answers the kit replaces with
    /// 429s, 5xx and malformed bodies). Token, detail and metadata calls are not page requests.
    /// </summary>
    public abstract bool IsPageRequest(FakeRequest request);
}
