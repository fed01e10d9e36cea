using System.Collections.Immutable;

namespace Platform.Plugins.Sandbox.Catalogue;

/// <summary>The catalogue's prices in a store's currency, rounded to cents.</summary>
internal sealed class PriceList
{
    private const decimal ShippingFeeUsd = 2.99m;

    private readonly ImmutableArray<decimal> _prices;

    public PriceList(string currency)
    {
        var rate = UsdRate(currency);
        _prices = [.. Products.All.Select(p => Math.Round(p.BasePrice * rate, 2, MidpointRounding.AwayFromZero))];
        ShippingFee = Math.Round(ShippingFeeUsd * rate, 2, MidpointRounding.AwayFromZero);
    }

    public decimal this[int productIndex] => _prices[productIndex];

    public decimal ShippingFee { get; }

    /// <summary>Round numbers, close enough to real rates for demo data.</summary>
    private static decimal UsdRate(string currency) => currency switch
    {
        "SGD" => 1.35m,
        "MYR" => 4.5m,
        "CNY" => 7.2m,
        "HKD" => 7.8m,
        "TWD" => 32m,
        "EUR" => 0.92m,
        "GBP" => 0.79m,
        "AUD" => 1.52m,
        "JPY" => 150m,
        "THB" => 35m,
        "PHP" => 57m,
        "IDR" => 16_000m,
        "VND" => 25_000m,
        "BRL" => 5.4m,
        "MXN" => 18m,
        _ => 1m,
    };
}
