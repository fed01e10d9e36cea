using System.Globalization;
using Platform.Plugins.Sandbox.Catalogue;
using Platform.Plugins.Sandbox.Generation;
using Platform.Plugins.Sandbox.People;

namespace Platform.Plugins.Sandbox;

/// <summary>What makes one sandbox store itself: its settings and the stable hash of its store id.</summary>
internal sealed class SandboxStore
{
    private readonly Lazy<Audience> _audience;

    public SandboxStore(string storeId, SandboxSettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeId);
        Settings = settings;
        Hash = StableHash.Of(storeId);
        Hex = ((uint)(Hash >> 32)).ToString("x8", CultureInfo.InvariantCulture);
        OrderPrefix = $"SBX{Hex.ToUpperInvariant()}-";
        Population = new Population(settings.Population);
        PhoneStyle = (PhoneStyle)(StableHash.Of(Hash, 0x9_4015E) % 3);
        Prices = new PriceList(settings.Currency);
        _audience = new Lazy<Audience>(() => new Audience(Population, settings.People, Hash, settings.ClosedDay, settings.ChurnDays, settings.OrdersPerDay));
    }

    public SandboxSettings Settings { get; }
    public ulong Hash { get; }
    /// <summary>Eight hex digits of the store hash, used in ids.</summary>
    public string Hex { get; }
    public string OrderPrefix { get; }
    public Population Population { get; }
    public PhoneStyle PhoneStyle { get; }
    public PriceList Prices { get; }
    public Audience Audience => _audience.Value;

    public StoreBuyer Buyer(int personIndex) =>
        BuyerView.Of(Population.Person(personIndex), Hash, Hex, Settings.Country, PhoneStyle, Settings.RelayContacts);
}
