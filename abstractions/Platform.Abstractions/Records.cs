namespace Platform.Abstractions;

/// <summary>A normalized record read from a marketplace. All times are UTC, all money is <see cref="decimal"/>.</summary>
public abstract record SourceRecord
{
    /// <summary>The marketplace's own id of the record, unique within the store and stream.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The marketplace's payload of the record, as received; kept by the host as it is.</summary>
    public required string RawJson { get; init; }

    /// <summary>When the record last changed upstream (used to order and dedupe updates).</summary>
    public abstract DateTimeOffset ChangedAt { get; }
}

/// <summary>Order statuses, normalized across marketplaces.</summary>
public enum OrderStatus
{
    /// <summary>Placed, not paid yet.</summary>
    Pending,
    /// <summary>Paid, not shipped.</summary>
    Paid,
    /// <summary>Handed to the carrier.</summary>
    Shipped,
    /// <summary>Delivered to the buyer.</summary>
    Delivered,
    /// <summary>Closed normally (delivered and past the return window).</summary>
    Completed,
    /// <summary>Cancelled before fulfilment.</summary>
    Cancelled,
    /// <summary>Money returned to the buyer.</summary>
    Refunded,
    /// <summary>Goods returned by the buyer.</summary>
    Returned,
}

/// <summary>One line of an order.</summary>
public sealed record OrderLine(string Sku, string Title, int Quantity, decimal UnitPrice);

/// <summary>An order with its lines.</summary>
public sealed record OrderRecord : SourceRecord
{
    /// <summary>Who placed it.</summary>
    public required BuyerIdentity Buyer { get; init; }
    /// <summary>When it was placed (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When it last changed (UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Normalized status.</summary>
    public required OrderStatus Status { get; init; }
    /// <summary>ISO 4217 code of <see cref="Total"/> and the line prices.</summary>
    public required string Currency { get; init; }
    /// <summary>What the buyer pays, in <see cref="Currency"/>.</summary>
    public required decimal Total { get; init; }
    /// <summary>The lines.</summary>
    public required IReadOnlyList<OrderLine> Lines { get; init; }
    /// <summary>Shipping city, when known.</summary>
    public string? ShippingCity { get; init; }
    /// <summary>Shipping country (ISO 3166-1 alpha-2), when known.</summary>
    public string? ShippingCountry { get; init; }
    /// <inheritdoc />
    public override DateTimeOffset ChangedAt => UpdatedAt;
}

/// <summary>A review written by a buyer.</summary>
public sealed record ReviewRecord : SourceRecord
{
    /// <summary>The reviewer; null for anonymous reviews.</summary>
    public BuyerIdentity? Buyer { get; init; }
    /// <summary>The order reviewed, when the marketplace says.</summary>
    public string? OrderExternalId { get; init; }
    /// <summary>The product reviewed, when the marketplace says.</summary>
    public string? Sku { get; init; }
    /// <summary>1 to 5 stars.</summary>
    public required int Rating { get; init; }
    /// <summary>The review text (may be empty).</summary>
    public required string Text { get; init; }
    /// <summary>When it was written (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When it last changed, for example when the seller replied (UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The seller's public reply, if any.</summary>
    public string? SellerReply { get; init; }
    /// <summary>When the seller replied, if the marketplace says; the host otherwise takes the first sync that saw the reply.</summary>
    public DateTimeOffset? SellerReplyAt { get; init; }
    /// <inheritdoc />
    public override DateTimeOffset ChangedAt => UpdatedAt;
}

/// <summary>Who wrote a chat message.</summary>
public enum MessageDirection
{
    /// <summary>From the buyer to the seller.</summary>
    Inbound,
    /// <summary>From the seller to the buyer.</summary>
    Outbound,
}

/// <summary>One message of a buyer–seller conversation.</summary>
public sealed record ChatMessage : SourceRecord
{
    /// <summary>The marketplace's conversation id.</summary>
    public required string ConversationId { get; init; }
    /// <summary>The buyer of the conversation (for outbound messages too).</summary>
    public required BuyerIdentity Buyer { get; init; }
    /// <summary>Inbound (buyer) or outbound (seller).</summary>
    public required MessageDirection Direction { get; init; }
    /// <summary>The text.</summary>
    public required string Text { get; init; }
    /// <summary>When it was sent (UTC).</summary>
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>The order the conversation is about, when known.</summary>
    public string? OrderExternalId { get; init; }
    /// <inheritdoc />
    public override DateTimeOffset ChangedAt => SentAt;
}

/// <summary>
/// What a marketplace tells about a buyer. The marketplace's own buyer id is always there; the rest is
/// passed as the marketplace gives it (masked or relay addresses included): the host decides what can be matched.
/// </summary>
public sealed record BuyerIdentity
{
    /// <summary>The marketplace's buyer id (user id, username, customer id).</summary>
    public required string BuyerId { get; init; }
    /// <summary>Display or shipping name.</summary>
    public string? Name { get; init; }
    /// <summary>Email, as given.</summary>
    public string? Email { get; init; }
    /// <summary>Phone, as given (any format).</summary>
    public string? Phone { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country, used to read phone numbers without a prefix.</summary>
    public string? Country { get; init; }
    /// <summary>City, when known.</summary>
    public string? City { get; init; }
    /// <summary>Postal code, when known.</summary>
    public string? PostalCode { get; init; }
}
