using Platform.Crm.Money;
using Xunit;

namespace Platform.Crm.Tests;

public sealed class ExchangeRatesTests
{
    private static readonly DateOnly Jan = new(2026, 1, 1), Jul = new(2026, 7, 1);

    private static readonly ExchangeRates Rates = new([
        new DatedRate("SGD", "USD", Jan, 0.76m),
        new DatedRate("SGD", "USD", Jul, 0.80m),
        new DatedRate("USD", "MYR", null, 4.0m),
    ]);

    [Theory]
    [InlineData("2026-03-15", 0.76)]
    [InlineData("2026-06-30", 0.76)]
    [InlineData("2026-07-01", 0.80)]
    [InlineData("2027-02-01", 0.80)]
    [InlineData("2025-05-01", 0.76)] // before the first date: the earliest rate
    public void The_rate_in_effect_on_the_day_applies(string day, decimal expected) =>
        Assert.Equal(expected, Rates.Rate("SGD", "USD", DateOnly.Parse(day)));

    [Fact]
    public void A_pair_converts_the_other_way_with_its_inverse_and_case_does_not_matter()
    {
        Assert.Equal(1m / 0.80m, Rates.Rate("usd", "sgd", Jul));
        Assert.Equal(0.25m, Rates.Rate("MYR", "USD", Jan));
        Assert.Equal(4.0m, Rates.Rate("USD", "MYR", Jan));
    }

    [Fact]
    public void Convert_applies_the_rate_of_the_day_and_is_null_without_one()
    {
        Assert.Equal(76m, Rates.Convert(100m, "SGD", "USD", Jan));
        Assert.Equal(80m, Rates.Convert(100m, "SGD", "USD", Jul));
        Assert.Null(Rates.Convert(100m, "EUR", "USD", Jan));
    }

    [Fact]
    public void Same_currency_is_one_and_an_unknown_pair_is_null()
    {
        Assert.Equal(1m, Rates.Rate("EUR", "EUR", Jan));
        Assert.Null(Rates.Rate("EUR", "USD", Jan));
        Assert.Null(ExchangeRates.None.Rate("SGD", "USD", Jan));
    }

    [Fact]
    public void Bad_rates_are_refused_naming_the_pair()
    {
        Assert.Contains("SGD-USD", Assert.Throws<ArgumentException>(() => new ExchangeRates([new DatedRate("SGD", "USD", Jan, 0m)])).Message);
        Assert.Contains("2026-01-01", Assert.Throws<ArgumentException>(() =>
            new ExchangeRates([new DatedRate("SGD", "USD", Jan, 0.7m), new DatedRate("sgd", "usd", Jan, 0.8m)])).Message);
    }
}
