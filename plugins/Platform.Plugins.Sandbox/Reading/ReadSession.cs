using Platform.Plugins.Sandbox.People;

namespace Platform.Plugins.Sandbox.Reading;

/// <summary>Scratch state of one read: a bounded cache of the store's buyers and the JSON buffer.</summary>
internal sealed class ReadSession(SandboxStore store) : IDisposable
{
    private const int MaxCachedBuyers = 50_000;

    private readonly Dictionary<int, StoreBuyer> _buyers = [];

    public JsonScratch Json { get; } = new();

    public StoreBuyer Buyer(int personIndex)
    {
        if (_buyers.TryGetValue(personIndex, out var buyer))
            return buyer;
        if (_buyers.Count >= MaxCachedBuyers)
            _buyers.Clear();
        buyer = store.Buyer(personIndex);
        _buyers.Add(personIndex, buyer);
        return buyer;
    }

    public void Dispose() => Json.Dispose();
}
