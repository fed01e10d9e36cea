using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Shopee.Tests;

/// <summary>What the three streams' conformance classes share: the plugin, its settings and credentials.</summary>
public abstract class ShopeeConformanceBase : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new ShopeePlugin();

    protected override MarketplaceFake CreateFake() => new ShopeeFake { Stream = Stream };

    protected override JsonObject ValidSettings(string baseUrl) => ShopeeTestSettings.Valid(baseUrl);

    /// <summary>When Shopee rejects the access token and the refresh too, the merchant must re-authorize: the refresh token is what failed.</summary>
    protected override string CredentialSetting => "refreshToken";

    protected override IEnumerable<string> SecretSettings => ["partnerKey", "accessToken", "refreshToken"];
}

public sealed class ShopeeOrdersConformance : ShopeeConformanceBase
{
    protected override StreamName Stream => StreamName.Orders;
}

public sealed class ShopeeReviewsConformance : ShopeeConformanceBase
{
    protected override StreamName Stream => StreamName.Reviews;
}

public sealed class ShopeeChatsConformance : ShopeeConformanceBase
{
    protected override StreamName Stream => StreamName.Chats;
}

/// <summary>Store settings the fake accepts.</summary>
public static class ShopeeTestSettings
{
    public static JsonObject Valid(string baseUrl) => new()
    {
        ["baseUrl"] = baseUrl,
        ["partnerId"] = ShopeeFake.PartnerId,
        ["partnerKey"] = ShopeeFake.PartnerKey,
        ["shopId"] = ShopeeFake.ShopId,
        ["accessToken"] = ShopeeFake.AccessToken,
        ["refreshToken"] = ShopeeFake.RefreshToken,
    };
}
