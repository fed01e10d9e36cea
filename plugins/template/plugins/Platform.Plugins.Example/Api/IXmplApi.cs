using System.Text.Json.Serialization;
using Refit;

namespace Platform.Plugins.Example.Api;

// TODO: describe your marketplace's endpoints and payloads here, names exactly as its documentation spells them
// (cite the page). The example API: GET /v1/orders?updated_after=&updated_before=&limit=&page_token=
// -> { "orders": [...], "next_page_token": "..." | null }, oldest change first.

/// <summary>The marketplace's endpoints. Raw responses: the connector reads status, headers and body itself.</summary>
internal interface IXmplApi
{
    [Get("/v1/orders")]
    Task<HttpResponseMessage> ListOrdersAsync(
        [AliasAs("updated_after")] string updatedAfter,
        [AliasAs("updated_before")] string updatedBefore,
        [AliasAs("limit")] int limit,
        [AliasAs("page_token")] string? pageToken,
        CancellationToken cancellationToken);
}

internal sealed record XmplOrderPage(
    [property: JsonPropertyName("orders")] IReadOnlyList<XmplOrder> Orders,
    [property: JsonPropertyName("next_page_token")] string? NextPageToken);

internal sealed record XmplOrder(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("buyer")] XmplBuyer Buyer,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("total")] string Total,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("lines")] IReadOnlyList<XmplLine> Lines);

internal sealed record XmplBuyer(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("country")] string? Country);

internal sealed record XmplLine(
    [property: JsonPropertyName("sku")] string Sku,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("unit_price")] string UnitPrice);
