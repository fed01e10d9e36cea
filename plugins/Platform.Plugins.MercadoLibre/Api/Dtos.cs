using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Plugins.MercadoLibre.Api;

// Wire shapes of developers.mercadolibre.com (Authentication and authorization, Manage orders / Orders search,
// Product reviews, Questions and answers api_version=4). Property names are the wire names.

/// <summary>The answer of POST /oauth/token.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("user_id")][property: JsonConverter(typeof(IdConverter))] string? UserId,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);

/// <summary>An OAuth error body: <c>{"error":"invalid_grant","error_description":"…","status":400}</c>.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? Description,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>GET /users/me.</summary>
public sealed record UserDto(
    [property: JsonPropertyName("id")][property: JsonConverter(typeof(IdConverter))] string? Id,
    [property: JsonPropertyName("nickname")] string? Nickname,
    [property: JsonPropertyName("site_id")] string? SiteId);

/// <summary>The paging block of search answers.</summary>
public sealed record PagingDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit);

/// <summary>GET /orders/search. Results are kept as JSON so each order's raw payload is stored as received.</summary>
public sealed record OrdersSearchResponse(
    [property: JsonPropertyName("query")] string? Query,
    [property: JsonPropertyName("results")] IReadOnlyList<JsonElement>? Results,
    [property: JsonPropertyName("paging")] PagingDto? Paging);

/// <summary>An order.</summary>
public sealed record OrderDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("date_created")] DateTimeOffset DateCreated,
    [property: JsonPropertyName("date_closed")] DateTimeOffset? DateClosed,
    [property: JsonPropertyName("last_updated")] DateTimeOffset? LastUpdated,
    [property: JsonPropertyName("date_last_updated")] DateTimeOffset? DateLastUpdated,
    [property: JsonPropertyName("total_amount")] decimal TotalAmount,
    [property: JsonPropertyName("paid_amount")] decimal? PaidAmount,
    [property: JsonPropertyName("currency_id")] string? CurrencyId,
    [property: JsonPropertyName("buyer")] OrderBuyerDto? Buyer,
    [property: JsonPropertyName("order_items")] IReadOnlyList<OrderItemDto>? OrderItems,
    [property: JsonPropertyName("pack_id")] long? PackId,
    [property: JsonPropertyName("shipping")] ShippingRefDto? Shipping,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags);

/// <summary>The buyer of an order (email and phone are no longer given by Mercado Libre; passed when present).</summary>
public sealed record OrderBuyerDto(
    [property: JsonPropertyName("id")][property: JsonConverter(typeof(IdConverter))] string? Id,
    [property: JsonPropertyName("nickname")] string? Nickname,
    [property: JsonPropertyName("first_name")] string? FirstName,
    [property: JsonPropertyName("last_name")] string? LastName,
    [property: JsonPropertyName("email")] string? Email);

/// <summary>One line of an order.</summary>
public sealed record OrderItemDto(
    [property: JsonPropertyName("item")] OrderItemRefDto? Item,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("unit_price")] decimal UnitPrice,
    [property: JsonPropertyName("currency_id")] string? CurrencyId);

/// <summary>The listing of an order line.</summary>
public sealed record OrderItemRefDto(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("seller_sku")] string? SellerSku,
    [property: JsonPropertyName("variation_id")] long? VariationId);

/// <summary>The shipment of an order (its id only; details are at /shipments/{id}).</summary>
public sealed record ShippingRefDto([property: JsonPropertyName("id")] long? Id);

/// <summary>GET /users/{id}/items/search.</summary>
public sealed record ItemsSearchResponse(
    [property: JsonPropertyName("seller_id")][property: JsonConverter(typeof(IdConverter))] string? SellerId,
    [property: JsonPropertyName("results")] IReadOnlyList<string>? Results,
    [property: JsonPropertyName("paging")] PagingDto? Paging);

/// <summary>GET /reviews/item/{item_id}.</summary>
public sealed record ReviewsResponse(
    [property: JsonPropertyName("paging")] PagingDto? Paging,
    [property: JsonPropertyName("reviews")] IReadOnlyList<JsonElement>? Reviews,
    [property: JsonPropertyName("rating_average")] decimal? RatingAverage);

/// <summary>A product review (anonymous: <c>reviewer_id</c> is 0).</summary>
public sealed record ReviewDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("reviewable_object")] ReviewableObjectDto? ReviewableObject,
    [property: JsonPropertyName("date_created")] DateTimeOffset DateCreated,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("content")] string? Content,
    [property: JsonPropertyName("rate")] int Rate);

/// <summary>What a review is about.</summary>
public sealed record ReviewableObjectDto(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("type")] string? Type);

/// <summary>GET /questions/search?api_version=4.</summary>
public sealed record QuestionsSearchResponse(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("questions")] IReadOnlyList<JsonElement>? Questions);

/// <summary>A question on a listing, with the seller's answer when there is one.</summary>
public sealed record QuestionDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("seller_id")][property: JsonConverter(typeof(IdConverter))] string? SellerId,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("item_id")] string? ItemId,
    [property: JsonPropertyName("date_created")] DateTimeOffset DateCreated,
    [property: JsonPropertyName("from")] QuestionFromDto? From,
    [property: JsonPropertyName("answer")] AnswerDto? Answer);

/// <summary>Who asked.</summary>
public sealed record QuestionFromDto([property: JsonPropertyName("id")][property: JsonConverter(typeof(IdConverter))] string? Id);

/// <summary>The seller's answer.</summary>
public sealed record AnswerDto(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("date_created")] DateTimeOffset? DateCreated);

/// <summary>
/// GET /messages/packs/{pack_id}/sellers/{seller_id}?tag=post_sale ("Post-sale messages"). Messages are kept as JSON
/// so each one's raw payload is stored as received.
/// </summary>
public sealed record PackMessagesResponse(
    [property: JsonPropertyName("paging")] PagingDto? Paging,
    [property: JsonPropertyName("conversation_status")] JsonElement? ConversationStatus,
    [property: JsonPropertyName("messages")] IReadOnlyList<JsonElement>? Messages);

/// <summary>A post-sale message of a pack.</summary>
public sealed record PackMessageDto(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("site_id")] string? SiteId,
    [property: JsonPropertyName("from")] MessageUserDto? From,
    [property: JsonPropertyName("to")] MessageUserDto? To,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("message_date")] MessageDateDto? MessageDate);

/// <summary>The sender or recipient of a post-sale message.</summary>
public sealed record MessageUserDto([property: JsonPropertyName("user_id")][property: JsonConverter(typeof(IdConverter))] string? UserId);

/// <summary>The times of a post-sale message.</summary>
public sealed record MessageDateDto(
    [property: JsonPropertyName("received")] DateTimeOffset? Received,
    [property: JsonPropertyName("available")] DateTimeOffset? Available,
    [property: JsonPropertyName("notified")] DateTimeOffset? Notified,
    [property: JsonPropertyName("created")] DateTimeOffset? Created,
    [property: JsonPropertyName("read")] DateTimeOffset? Read);

/// <summary>Reads ids that Mercado Libre sends as numbers in some answers and as strings in others.</summary>
public sealed class IdConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
        _ => throw new JsonException($"An id must be a number or a string, not {reader.TokenType}."),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
