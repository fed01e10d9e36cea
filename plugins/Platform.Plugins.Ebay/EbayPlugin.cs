using System.Runtime.CompilerServices;
using Platform.Abstractions;
using Refit;

[assembly: InternalsVisibleTo("Platform.Plugins.Ebay.Tests")]

namespace Platform.Plugins.Ebay;

/// <summary>eBay: orders (Sell Fulfillment API), feedback received (Commerce Feedback API) and buyer messages (Commerce Message API).</summary>
public sealed class EbayPlugin : IConnectorPlugin
{
    /// <summary>The content of the embedded <c>plugin.json</c>.</summary>
    public PluginManifest Manifest { get; } = PluginManifest.FromEmbeddedResource(typeof(EbayPlugin).Assembly, "Platform.Plugins.Ebay.plugin.json");

    /// <summary>Creates the connector of one seller account.</summary>
    public IConnector Create(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = EbaySettings.From(context.Settings);
        var oauthClient = context.CreateHttpClient(settings.BaseUrl);
        var tokens = new EbayTokenProvider(RestService.For<IEbayOAuthApi>(oauthClient), settings, context.Clock, context.Tokens, context.Logger);

        var apiClient = context.CreateHttpClient(settings.BaseUrl, new EbayAuthHandler(tokens));
        apiClient.DefaultRequestHeaders.TryAddWithoutValidation("X-EBAY-C-MARKETPLACE-ID", settings.MarketplaceId);
        apiClient.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "application/json");
        return new EbayConnector(context, settings, RestService.For<IEbayApi>(apiClient));
    }
}
