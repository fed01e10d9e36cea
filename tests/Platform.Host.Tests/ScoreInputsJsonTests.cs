using System.Text.Json;
using Platform.Crm.Value;
using Platform.Host.Value;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>The score rows' inputs JSON, written by hand for speed, is what the serializer writes for the same inputs.</summary>
public sealed class ScoreInputsJsonTests
{
    public static TheoryData<ValueInputs> Customers() =>
    [
        new ValueInputs("c1", 1234.56m, 2000.10m, 321.987654321, 7, 1, 2, 5, 12, 400, 0.734512, 2.0 / 3, 800.25m, 100m, 3, 4.333333, 9),
        new ValueInputs("c2", 0m, 0m, 0, 0, 0, 0, 0, null, 0, null, 0, 0m, 0m, 0, null, 0),
        new ValueInputs("c3", 1e-2m, 99999999.99m, 1e-9, 1, 0, 0, 1, 0, 0, 1, 1, 0.01m, 0m, 1, 1, 1),
    ];

    [Theory]
    [MemberData(nameof(Customers))]
    public void The_written_inputs_equal_the_serializers(ValueInputs customer)
    {
        var population = new[] { customer, customer with { CustomerId = "other", TotalSpend = 5m, Spend12Months = 3m, PurchaseDays = 2, RecencyDays = 40 } };
        var scores = ValueScores.Score(customer, ValueScores.Distributions(population, ValueWeights.Default), ValueWeights.Default, 5);
        var expected = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["current"] = scores.Current.Inputs, ["future"] = scores.Future.Inputs, ["credit"] = scores.Credit.Inputs,
            ["loyalty"] = scores.Loyalty.Inputs, ["growth"] = scores.Growth.Inputs, ["eValue"] = scores.EValue.Inputs,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.Equal(expected, Scoring.InputsJson(scores));
    }
}
