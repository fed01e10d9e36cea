using System.Text.Json;
using Platform.Abstractions;

namespace Platform.Plugins.Shopee;

/// <summary>Shopee payloads to the contract's records.</summary>
internal static class ShopeeMap
{
    public const string Marketplace = "Shopee";

    /// <summary>Shopee's order_status values (v2.order.get_order_detail) to the normalized statuses.</summary>
    public static OrderStatus Status(string? orderStatus) => orderStatus?.Trim().ToUpperInvariant() switch
    {
        "UNPAID" or "PENDING" => OrderStatus.Pending,
        "READY_TO_SHIP" or "PROCESSED" or "RETRY_SHIP" or "INVOICE_PENDING" => OrderStatus.Paid,
        "SHIPPED" => OrderStatus.Shipped,
        "TO_CONFIRM_RECEIVE" => OrderStatus.Delivered,
        "COMPLETED" => OrderStatus.Completed,
        "IN_CANCEL" or "CANCELLED" => OrderStatus.Cancelled,
        "TO_RETURN" => OrderStatus.Returned,
        _ => throw new FormatException($"unknown order_status '{orderStatus}'"),
    };

    /// <summary>Unix seconds to UTC.</summary>
    public static DateTimeOffset Time(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

    public static OrderRecord Order(JsonElement json, OrderDetailDto o)
    {
        var sn = Required(o.OrderSn, "order_sn");
        var address = o.RecipientAddress;
        var country = Blank(address?.Region) ?? Blank(o.Region);
        var lines = (o.ItemList ?? []).Select(i => new OrderLine(
            Blank(i.ModelSku) ?? Blank(i.ItemSku) ?? (i.ModelId != 0 ? $"{i.ItemId}-{i.ModelId}" : i.ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Blank(i.ItemName) ?? "",
            i.ModelQuantityPurchased,
            i.ModelDiscountedPrice ?? i.ModelOriginalPrice ?? 0m)).ToList();
        return new OrderRecord
        {
            ExternalId = sn,
            RawJson = json.GetRawText(),
            Buyer = new BuyerIdentity
            {
                BuyerId = Blank(o.BuyerUserId) ?? Blank(o.BuyerUsername) ?? throw new FormatException($"order {sn} has neither buyer_user_id nor buyer_username"),
                Name = Blank(address?.Name) ?? Blank(o.BuyerUsername),
                Phone = Blank(address?.Phone),
                Country = country,
                City = Blank(address?.City),
                PostalCode = Blank(address?.Zipcode),
            },
            CreatedAt = Time(o.CreateTime),
            UpdatedAt = Time(o.UpdateTime),
            Status = Status(o.OrderStatus),
            Currency = Required(o.Currency, "currency").ToUpperInvariant(),
            Total = o.TotalAmount ?? lines.Sum(l => l.UnitPrice * l.Quantity),
            Lines = lines,
            ShippingCity = Blank(address?.City),
            ShippingCountry = country,
        };
    }

    /// <summary>When a comment last changed: its creation, or the seller's reply if later.</summary>
    public static long ChangedAt(CommentDto c) => Math.Max(c.CreateTime, c.CommentReply?.CreateTime ?? 0);

    public static ReviewRecord Review(JsonElement json, CommentDto c)
    {
        var username = Blank(c.BuyerUsername);
        return new ReviewRecord
        {
            ExternalId = c.CommentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            RawJson = json.GetRawText(),
            Buyer = username is null ? null : new BuyerIdentity { BuyerId = username, Name = username },
            OrderExternalId = Blank(c.OrderSn),
            Sku = c.ModelId != 0 ? $"{c.ItemId}-{c.ModelId}" : c.ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Rating = c.RatingStar is >= 1 and <= 5 ? c.RatingStar : throw new FormatException($"comment {c.CommentId} has rating_star {c.RatingStar}"),
            Text = c.Comment ?? "",
            CreatedAt = Time(c.CreateTime),
            UpdatedAt = Time(ChangedAt(c)),
            SellerReply = Blank(c.CommentReply?.Reply),
        };
    }

    public static ChatMessage Message(JsonElement json, MessageDto m, ConversationDto conversation, long shopId)
    {
        var id = Required(m.MessageId, "message_id");
        var outbound = m.FromId != conversation.ToId && (m.FromShopId == shopId || m.FromId == shopId);
        return new ChatMessage
        {
            ExternalId = id,
            RawJson = json.GetRawText(),
            ConversationId = Required(conversation.ConversationId, "conversation_id"),
            Buyer = new BuyerIdentity
            {
                BuyerId = conversation.ToId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Name = Blank(conversation.ToName),
            },
            Direction = outbound ? MessageDirection.Outbound : MessageDirection.Inbound,
            Text = m.Content?.Text ?? (m.MessageType is { Length: > 0 } t && t != "text" ? $"[{t}]" : ""),
            SentAt = Time(m.CreatedTimestamp),
            OrderExternalId = Blank(m.Content?.OrderSn) ?? Blank(m.SourceContent?.OrderSn),
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Required(string? value, string field) =>
        Blank(value) ?? throw new FormatException($"'{field}' is missing");
}
