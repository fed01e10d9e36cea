using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.WooCommerce.Tests;

/// <summary>The kit's checks on the orders stream.</summary>
public sealed class WooCommerceOrdersConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new WooCommercePlugin();

    protected override MarketplaceFake CreateFake() => new WooCommerceFake(WooCommerceFake.Resource.Orders);

    protected override JsonObject ValidSettings(string baseUrl) => WooCommerceSettingsFor(baseUrl);

    protected override string CredentialSetting => "consumerKey";

    protected override IEnumerable<string> SecretSettings => ["consumerKey", "consumerSecret"];

    protected override StreamName Stream => StreamName.Orders;

    internal static JsonObject WooCommerceSettingsFor(string baseUrl) => new()
    {
        ["baseUrl"] = baseUrl,
        ["consumerKey"] = WooCommerceFake.ConsumerKey,
        ["consumerSecret"] = WooCommerceFake.ConsumerSecret,
    };
}

/// <summary>The kit's checks on the reviews stream.</summary>
public sealed class WooCommerceReviewsConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new WooCommercePlugin();

    protected override MarketplaceFake CreateFake() => new WooCommerceFake(WooCommerceFake.Resource.Reviews);

    protected override JsonObject ValidSettings(string baseUrl) => WooCommerceOrdersConformance.WooCommerceSettingsFor(baseUrl);

    protected override string CredentialSetting => "consumerKey";

    protected override IEnumerable<string> SecretSettings => ["consumerKey", "consumerSecret"];

    protected override StreamName Stream => StreamName.Reviews;
}
