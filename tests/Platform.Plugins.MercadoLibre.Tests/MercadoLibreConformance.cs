using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.MercadoLibre.Tests;

/// <summary>Settings of a store against the fake.</summary>
internal static class Store
{
    public static JsonObject Settings(string baseUrl) => new()
    {
        ["baseUrl"] = baseUrl,
        ["clientId"] = MercadoLibreFake.ClientId,
        ["clientSecret"] = MercadoLibreFake.ClientSecret,
        ["refreshToken"] = MercadoLibreFake.InitialRefreshToken,
        ["sellerId"] = MercadoLibreFake.SellerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The kit's checks on orders.</summary>
public sealed class MercadoLibreOrdersConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new MercadoLibrePlugin();
    protected override MarketplaceFake CreateFake() => new MercadoLibreFake(MercadoLibreFake.FakeStream.Orders);
    protected override JsonObject ValidSettings(string baseUrl) => Store.Settings(baseUrl);
    protected override string CredentialSetting => "refreshToken";
    protected override IEnumerable<string> SecretSettings => ["clientSecret", "refreshToken"];
}

/// <summary>The kit's checks on reviews.</summary>
public sealed class MercadoLibreReviewsConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new MercadoLibrePlugin();
    protected override MarketplaceFake CreateFake() => new MercadoLibreFake(MercadoLibreFake.FakeStream.Reviews);
    protected override JsonObject ValidSettings(string baseUrl) => Store.Settings(baseUrl);
    protected override string CredentialSetting => "refreshToken";
    protected override IEnumerable<string> SecretSettings => ["clientSecret", "refreshToken"];
    protected override StreamName Stream => StreamName.Reviews;
}

/// <summary>The kit's checks on chats (listing questions and post-sale pack messages, by item parity).</summary>
public sealed class MercadoLibreChatsConformance : ConnectorConformanceTests
{
    protected override IConnectorPlugin CreatePlugin() => new MercadoLibrePlugin();
    protected override MarketplaceFake CreateFake() => new MercadoLibreFake(MercadoLibreFake.FakeStream.Chats);
    protected override JsonObject ValidSettings(string baseUrl) => Store.Settings(baseUrl);
    protected override string CredentialSetting => "refreshToken";
    protected override IEnumerable<string> SecretSettings => ["clientSecret", "refreshToken"];
    protected override StreamName Stream => StreamName.Chats;
}
