using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Example.Tests;

/// <summary>The conformance kit's checks on the orders stream. Add one class per stream the plugin supports.</summary>
public sealed class XmplOrdersConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new XmplPlugin();

    protected override MarketplaceFake CreateFake() => new XmplFake();

    protected override JsonObject ValidSettings(string baseUrl) => new() { ["baseUrl"] = baseUrl, ["apiKey"] = XmplFake.ApiKey };

    protected override string CredentialSetting => "apiKey";

    protected override IEnumerable<string> SecretSettings => ["apiKey"];

    protected override StreamName Stream => StreamName.Orders;
}

/// <summary>Your marketplace's own rules: statuses, money, times, buyers.</summary>
public sealed class XmplMappingTests
{
    [Theory]
    [InlineData("paid", OrderStatus.Paid)]
    [InlineData("something-new", OrderStatus.Pending)]
    public void Statuses_map_to_the_normalized_ones(string status, OrderStatus expected) => Assert.Equal(expected, Map.Status(status));

    [Fact]
    public void Money_is_an_exact_decimal() => Assert.Equal(12.35m, Map.Money("12.35"));
}
