using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Ebay.Tests;

/// <summary>Settings of a store against the fake.</summary>
internal static class EbayStore
{
    public static JsonObject Settings(string baseUrl) => new()
    {
        ["baseUrl"] = baseUrl,
        ["clientId"] = EbayFake.ClientId,
        ["clientSecret"] = EbayFake.ClientSecret,
        ["refreshToken"] = EbayFake.RefreshToken,
        ["marketplaceId"] = "EBAY_US",
        ["sellerUsername"] = EbayFake.SellerUsername,
    };
}

public sealed class EbayOrdersConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new EbayPlugin();
    protected override MarketplaceFake CreateFake() => new EbayFake { Mode = EbayFakeMode.Orders };
    protected override JsonObject ValidSettings(string baseUrl) => EbayStore.Settings(baseUrl);
    protected override string CredentialSetting => "refreshToken";
    protected override IEnumerable<string> SecretSettings => ["clientSecret", "refreshToken"];
}

public sealed class EbayReviewsConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new EbayPlugin();
    protected override MarketplaceFake CreateFake() => new EbayFake { Mode = EbayFakeMode.Reviews };
    protected override JsonObject ValidSettings(string baseUrl) => EbayStore.Settings(baseUrl);
    protected override string CredentialSetting => "refreshToken";
    protected override IEnumerable<string> SecretSettings => ["clientSecret", "refreshToken"];
    protected override StreamName Stream => StreamName.Reviews;
}

public sealed class EbayChatsConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new EbayPlugin();
    protected override MarketplaceFake CreateFake() => new EbayFake { Mode = EbayFakeMode.Chats };
    protected override JsonObject ValidSettings(string baseUrl) => EbayStore.Settings(baseUrl);
    protected override string CredentialSetting => "refreshToken";
    protected override IEnumerable<string> SecretSettings => ["clientSecret", "refreshToken"];
    protected override StreamName Stream => StreamName.Chats;
}
