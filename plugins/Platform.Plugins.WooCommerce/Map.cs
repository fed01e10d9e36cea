using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Abstractions;
using Platform.Plugins.WooCommerce.Api;

namespace Platform.Plugins.WooCommerce;

/// <summary>WooCommerce wire shapes to contract records, in one place.</summary>
internal static partial class Map
{
    /// <summary>
    /// WooCommerce's order statuses (core ones, plus the shipped/delivered/returned ones common shipping plugins
    /// add) to the normalized ones. Anything else (a custom status) counts as pending.
    /// </summary>
    public static OrderStatus Status(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        "pending" or "on-hold" or "failed" or "checkout-draft" => OrderStatus.Pending,
        "processing" => OrderStatus.Paid,
        "completed" => OrderStatus.Completed,
        "cancelled" or "trash" => OrderStatus.Cancelled,
        "refunded" => OrderStatus.Refunded,
        "shipped" or "wc-shipped" => OrderStatus.Shipped,
        "delivered" or "wc-delivered" => OrderStatus.Delivered,
        "returned" or "wc-returned" => OrderStatus.Returned,
        _ => OrderStatus.Pending,
    };

    /// <summary>A <c>*_gmt</c> date (ISO 8601 without offset, in UTC) as a UTC time.</summary>
    public static DateTimeOffset Gmt(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)
            || !DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            throw new FormatException($"{field} is not a date: '{value}'");
        return new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
    }

    /// <summary>A money amount: WooCommerce sends strings (<c>"29.35"</c>) for totals and numbers for prices.</summary>
    public static decimal Money(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDecimal(),
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        JsonValueKind.String when string.IsNullOrWhiteSpace(value.GetString()) => 0m,
        JsonValueKind.Null or JsonValueKind.Undefined => 0m,
        _ => throw new FormatException($"{field} is not an amount: {value.GetRawText()}"),
    };

    /// <summary>
    /// The buyer's id: the customer account id, or for guest checkouts (customer_id 0) a key derived from the
    /// billing email, so the same guest's orders share one id.
    /// </summary>
    public static string BuyerId(long customerId, string? email, long orderId) =>
        customerId != 0 ? customerId.ToString(CultureInfo.InvariantCulture) : GuestKey(email) ?? $"guest:order-{orderId}";

    /// <summary><c>guest:</c> plus the email, trimmed and lower-cased; null without an email.</summary>
    public static string? GuestKey(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : "guest:" + email.Trim().ToLowerInvariant();

    public static OrderRecord Order(WooOrder order, string rawJson)
    {
        var billing = order.Billing;
        var shipping = order.Shipping;
        var lines = (order.LineItems ?? []).Select(Line).ToList();
        return new OrderRecord
        {
            ExternalId = order.Id.ToString(CultureInfo.InvariantCulture),
            RawJson = rawJson,
            Buyer = new BuyerIdentity
            {
                BuyerId = BuyerId(order.CustomerId, billing?.Email, order.Id),
                Name = Name(billing) ?? Name(shipping),
                Email = Blank(billing?.Email),
                Phone = Blank(billing?.Phone),
                Country = Country(billing?.Country),
                City = Blank(billing?.City),
                PostalCode = Blank(billing?.Postcode),
            },
            CreatedAt = Gmt(order.DateCreatedGmt, "date_created_gmt"),
            UpdatedAt = Gmt(order.DateModifiedGmt, "date_modified_gmt"),
            Status = Status(order.Status),
            Currency = Blank(order.Currency)?.ToUpperInvariant() ?? throw new FormatException("currency is missing"),
            Total = Money(order.Total, "total"),
            Lines = lines,
            ShippingCity = Blank(shipping?.City) ?? Blank(billing?.City),
            ShippingCountry = Country(shipping?.Country) ?? Country(billing?.Country),
        };
    }

    /// <summary>
    /// A line: the SKU when the product has one, else the product id (the variation's when it is a variation);
    /// the unit price is <c>price</c>, or <c>total / quantity</c> when the shop omits it.
    /// </summary>
    public static OrderLine Line(WooLineItem line)
    {
        var product = line.VariationId != 0 ? line.VariationId : line.ProductId;
        var price = line.Price.ValueKind is JsonValueKind.Number or JsonValueKind.String
            ? Money(line.Price, "line_items.price")
            : line.Quantity != 0 ? Money(line.Total, "line_items.total") / line.Quantity : 0m;
        return new OrderLine(Blank(line.Sku) ?? product.ToString(CultureInfo.InvariantCulture), line.Name ?? "", line.Quantity, price);
    }

    /// <summary>
    /// A review; WooCommerce reviews have no modified date, so it changes when it is created. Null when it has no
    /// star rating (WooCommerce allows 0 when ratings are optional): the contract needs 1 to 5.
    /// </summary>
    public static ReviewRecord? Review(WooReview review, string rawJson)
    {
        if (review.Rating is < 1 or > 5)
            return null;
        var created = Gmt(review.DateCreatedGmt, "date_created_gmt");
        var key = GuestKey(review.ReviewerEmail);
        return new ReviewRecord
        {
            ExternalId = review.Id.ToString(CultureInfo.InvariantCulture),
            RawJson = rawJson,
            Buyer = key is null && string.IsNullOrWhiteSpace(review.Reviewer) ? null : new BuyerIdentity
            {
                BuyerId = key ?? "reviewer:" + review.Reviewer!.Trim(),
                Name = Blank(review.Reviewer),
                Email = Blank(review.ReviewerEmail),
            },
            Sku = review.ProductId != 0 ? review.ProductId.ToString(CultureInfo.InvariantCulture) : null,
            Rating = review.Rating,
            Text = PlainText(review.Review),
            CreatedAt = created,
            UpdatedAt = created,
        };
    }

    /// <summary>The review's HTML (<c>&lt;p&gt;Nice album!&lt;/p&gt;</c>) as plain text.</summary>
    public static string PlainText(string? html)
    {
        if (string.IsNullOrEmpty(html))
            return "";
        var text = Tags().Replace(Breaks().Replace(html, "\n"), "");
        return WebUtility.HtmlDecode(text).Trim();
    }

    private static string? Name(WooAddress? address)
    {
        var name = $"{address?.FirstName} {address?.LastName}".Trim();
        return name.Length > 0 ? name : Blank(address?.Company);
    }

    private static string? Country(string? code) => Blank(code)?.ToUpperInvariant();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"<\s*(br|/p)\s*/?\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
