using Refit;

namespace Platform.Plugins.MercadoLibre.Api;

/// <summary>
/// The Mercado Libre REST endpoints the connector reads (developers.mercadolibre.com: Orders, Product reviews,
/// Questions and answers, Users). Answers are read as raw messages so unreadable pages can be reported with their body.
/// </summary>
public interface IMercadoLibreApi
{
    /// <summary>The user the access token belongs to.</summary>
    [Get("/users/me")]
    Task<HttpResponseMessage> GetMe(CancellationToken cancellationToken);

    /// <summary>Orders of a seller last updated within [from, to], sorted by creation date.</summary>
    [Get("/orders/search")]
    Task<HttpResponseMessage> SearchOrders(
        [AliasAs("seller")] string seller,
        [AliasAs("order.date_last_updated.from")] string from,
        [AliasAs("order.date_last_updated.to")] string to,
        [AliasAs("sort")] string sort,
        [AliasAs("offset")] int offset,
        [AliasAs("limit")] int limit,
        CancellationToken cancellationToken);

    /// <summary>Orders of a seller last updated at or after <paramref name="from"/> (no upper bound), sorted by creation date.</summary>
    [Get("/orders/search")]
    Task<HttpResponseMessage> SearchOrdersSince(
        [AliasAs("seller")] string seller,
        [AliasAs("order.date_last_updated.from")] string from,
        [AliasAs("sort")] string sort,
        [AliasAs("offset")] int offset,
        [AliasAs("limit")] int limit,
        CancellationToken cancellationToken);

    /// <summary>The ids of a seller's listings.</summary>
    [Get("/users/{sellerId}/items/search")]
    Task<HttpResponseMessage> SearchItems(string sellerId, [AliasAs("offset")] int offset, [AliasAs("limit")] int limit, CancellationToken cancellationToken);

    /// <summary>The reviews of one listing.</summary>
    [Get("/reviews/item/{itemId}")]
    Task<HttpResponseMessage> ItemReviews(string itemId, [AliasAs("offset")] int offset, [AliasAs("limit")] int limit, CancellationToken cancellationToken);

    /// <summary>Questions buyers asked on the seller's listings.</summary>
    [Get("/questions/search")]
    Task<HttpResponseMessage> SearchQuestions(
        [AliasAs("seller_id")] string sellerId,
        [AliasAs("api_version")] int apiVersion,
        [AliasAs("sort_fields")] string sortFields,
        [AliasAs("sort_types")] string sortTypes,
        [AliasAs("offset")] int offset,
        [AliasAs("limit")] int limit,
        CancellationToken cancellationToken);

    /// <summary>
    /// The post-sale messages of one pack (the order's pack_id, or the order id when it has none), oldest first.
    /// <c>mark_as_read=false</c> keeps reading from marking the buyer's messages as read for the seller.
    /// </summary>
    [Get("/messages/packs/{packId}/sellers/{sellerId}")]
    Task<HttpResponseMessage> PackMessages(
        string packId,
        string sellerId,
        [AliasAs("tag")] string tag,
        [AliasAs("mark_as_read")] string markAsRead,
        [AliasAs("offset")] int offset,
        [AliasAs("limit")] int limit,
        CancellationToken cancellationToken);
}

/// <summary>The OAuth token endpoint (called without a bearer token).</summary>
public interface IMercadoLibreOAuth
{
    /// <summary>Exchanges a refresh token for a new access token and a new refresh token.</summary>
    [Post("/oauth/token")]
    Task<HttpResponseMessage> Token([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);
}
