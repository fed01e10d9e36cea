using System.Globalization;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Catalogue;
using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.Orders;

/// <summary>
/// The orders of a store, order k (1-based) of each UTC day: how many there are, when they change,
/// who buys what. Everything is a pure function of the store, the settings, the day and k.
/// </summary>
internal sealed class OrderPlanner(SandboxStore store)
{
    public SandboxStore Store => store;

    /// <summary>
    /// Uniform around the mean with random rounding, so the expected count is exactly ordersPerDay. The spread is
    /// ±50% for small stores and narrows to a Poisson-like standard deviation (√mean) for large ones.
    /// </summary>
    public int CountOn(long day)
    {
        if (day < UnixTime.FirstDay || day >= store.Settings.ClosedDay)
            return 0;
        var draws = new Draws(StableHash.Of(store.Hash, (ulong)day, Salt.DayCount));
        var mean = store.Settings.ChurnDays > 0 ? store.Settings.OrdersPerDay * store.Audience.ActiveShare(day) : store.Settings.OrdersPerDay;
        var halfWidth = Math.Min(0.5 * mean, Math.Sqrt(3 * mean));
        return (int)Math.Floor(mean + halfWidth * (2 * draws.Unit() - 1) + draws.Unit());
    }

    public OrderTimeline Timeline(long day, int k) => Timeline(day, k, CountOn(day));

    /// <summary>The timeline of order k when the day's count is already known.</summary>
    public OrderTimeline Timeline(long day, int k, int count)
    {
        var draws = new Draws(StableHash.Of(store.Hash, (ulong)day, (ulong)k, Salt.Timeline));
        return OrderTimeline.Plan(day, k, count, ref draws);
    }

    public string OrderId(long day, int k) =>
        string.Create(CultureInfo.InvariantCulture, $"{store.OrderPrefix}{UnixTime.Date(day):yyyyMMdd}-{k:D5}");

    public int BuyerIndex(long day, int k)
    {
        var draws = new Draws(StableHash.Of(store.Hash, (ulong)day, (ulong)k, Salt.Buyer));
        return store.Audience.Pick(ref draws, day);
    }

    /// <summary>The lines of order k of the day; <paramref name="buyer"/> is its <see cref="BuyerIndex"/>, which every caller has already.</summary>
    public OrderContents Contents(long day, int k, int buyer)
    {
        var draws = new Draws(StableHash.Of(store.Hash, (ulong)day, (ulong)k, Salt.Lines));
        var catalogue = Products.All;
        var basket = store.Settings.ChurnDays > 0 ? BasketSize(buyer) : 1;
        var count = draws.Unit() switch { < 0.6 => 1, < 0.9 => 2, _ => 3 };
        var lines = new OrderLine[count];
        Span<int> chosen = stackalloc int[3];
        var total = 0m;
        for (var i = 0; i < count; i++)
        {
            var product = draws.Below(catalogue.Length);
            while (chosen[..i].Contains(product))
                product = (product + 1) % catalogue.Length;
            chosen[i] = product;
            var quantity = basket * draws.Unit() switch { < 0.7 => 1, < 0.9 => 2, _ => 3 };
            var price = store.Prices[product];
            lines[i] = new OrderLine(catalogue[product].Sku, catalogue[product].Title, quantity, price);
            total += price * quantity;
        }
        var shipping = draws.Chance(0.35) ? store.Prices.ShippingFee : 0m;
        return new OrderContents(lines, shipping, total + shipping);
    }

    /// <summary>
    /// With churn (data for lifetime-value models), each person buys in quantities of their own: every line's quantity
    /// is multiplied by 1 + a geometric number (mean 1.5), the same in every store, so spend per order differs between
    /// customers the way the Gamma-Gamma spend model assumes, not only between orders.
    /// </summary>
    private int BasketSize(int person)
    {
        var unit = StableHash.Unit(StableHash.Of(store.Population.Seed, (ulong)person, Salt.Basket));
        return 1 + (int)Math.Min(20, Math.Floor(-1.5 * Math.Log(1 - unit)));
    }
}
