using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Plugins.WooCommerce.Api;

// Wire shapes of the REST API v3, names exactly as documented:
// https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties and #list-all-orders.
// Only the fields the connector maps are declared; the raw payload is kept as it came.

/// <summary>An order (<c>GET /orders</c> item).</summary>
internal sealed record WooOrder(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("number")] string? Number,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("total")] JsonElement Total,
    [property: JsonPropertyName("date_created_gmt")] string? DateCreatedGmt,
    [property: JsonPropertyName("date_modified_gmt")] string? DateModifiedGmt,
    [property: JsonPropertyName("customer_id")] long CustomerId,
    [property: JsonPropertyName("billing")] WooAddress? Billing,
    [property: JsonPropertyName("shipping")] WooAddress? Shipping,
    [property: JsonPropertyName("line_items")] IReadOnlyList<WooLineItem>? LineItems);

/// <summary>The billing or shipping address of an order (shipping has no email and, before 5.6, no phone).</summary>
internal sealed record WooAddress(
    [property: JsonPropertyName("first_name")] string? FirstName,
    [property: JsonPropertyName("last_name")] string? LastName,
    [property: JsonPropertyName("company")] string? Company,
    [property: JsonPropertyName("city")] string? City,
    [property: JsonPropertyName("postcode")] string? Postcode,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("phone")] string? Phone);

/// <summary>A line of an order. <c>price</c> is a JSON number, <c>total</c> a string (as documented).</summary>
internal sealed record WooLineItem(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("product_id")] long ProductId,
    [property: JsonPropertyName("variation_id")] long VariationId,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("sku")] string? Sku,
    [property: JsonPropertyName("price")] JsonElement Price,
    [property: JsonPropertyName("total")] JsonElement Total);

/// <summary>A product review (<c>GET /products/reviews</c> item, https://woocommerce.github.io/woocommerce-rest-api-docs/#product-review-properties).</summary>
internal sealed record WooReview(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("date_created")] string? DateCreated,
    [property: JsonPropertyName("date_created_gmt")] string? DateCreatedGmt,
    [property: JsonPropertyName("product_id")] long ProductId,
    [property: JsonPropertyName("product_name")] string? ProductName,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("reviewer")] string? Reviewer,
    [property: JsonPropertyName("reviewer_email")] string? ReviewerEmail,
    [property: JsonPropertyName("review")] string? Review,
    [property: JsonPropertyName("rating")] int Rating,
    [property: JsonPropertyName("verified")] bool Verified);

/// <summary>The error body of the WordPress REST API: <c>{"code": "...", "message": "...", "data": {"status": 401}}</c>.</summary>
internal sealed record WooError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message);
