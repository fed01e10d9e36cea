using System.Globalization;
using Platform.Abstractions;

namespace Platform.Plugins.Ebay;

/// <summary>eBay payloads to the platform's records.</summary>
internal static class EbayMap
{
    /// <summary>
    /// cancelState CANCELED → cancelled; orderPaymentStatus FULLY_REFUNDED → refunded; orderFulfillmentStatus FULFILLED
    /// (every line shipped) → shipped; PAID with NOT_STARTED/IN_PROGRESS → paid; anything else (PENDING, FAILED, …) → pending.
    /// </summary>
    public static OrderStatus Status(string? cancelState, string? paymentStatus, string? fulfillmentStatus)
    {
        if (string.Equals(cancelState, "CANCELED", StringComparison.OrdinalIgnoreCase))
            return OrderStatus.Cancelled;
        if (string.Equals(paymentStatus, "FULLY_REFUNDED", StringComparison.OrdinalIgnoreCase))
            return OrderStatus.Refunded;
        if (string.Equals(fulfillmentStatus, "FULFILLED", StringComparison.OrdinalIgnoreCase))
            return OrderStatus.Shipped;
        var paid = paymentStatus?.ToUpperInvariant() is "PAID" or "PARTIALLY_REFUNDED";
        return paid ? OrderStatus.Paid : OrderStatus.Pending;
    }

    /// <summary>eBay sends money as a decimal string ("12.34"), never as a number.</summary>
    public static decimal Money(EbayAmount? amount, string what) =>
        amount?.Value is { Length: > 0 } value && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new FormatException($"{what} is not an amount: '{amount?.Value}'");

    public static OrderRecord Order(EbayOrder order, string rawJson)
    {
        var id = order.OrderId is { Length: > 0 } o ? o : throw new FormatException("the order has no orderId");
        var updated = order.LastModifiedDate ?? throw new FormatException($"order {id} has no lastModifiedDate");
        var created = order.CreationDate ?? updated;
        var total = order.PricingSummary?.Total ?? throw new FormatException($"order {id} has no pricingSummary.total");
        var currency = total.Currency is { Length: 3 } c ? c.ToUpperInvariant() : throw new FormatException($"order {id} has no total currency");
        var shipTo = order.FulfillmentStartInstructions?.Select(i => i.ShippingStep?.ShipTo).FirstOrDefault(s => s is not null);
        var registration = order.Buyer?.BuyerRegistrationAddress;
        var address = shipTo?.ContactAddress ?? registration?.ContactAddress;

        return new OrderRecord
        {
            ExternalId = id,
            RawJson = rawJson,
            Buyer = new BuyerIdentity
            {
                BuyerId = order.Buyer?.Username is { Length: > 0 } u ? u : throw new FormatException($"order {id} has no buyer.username"),
                Name = registration?.FullName ?? shipTo?.FullName,
                Email = registration?.Email ?? shipTo?.Email, // often an eBay relay address: passed as it is
                Phone = registration?.PrimaryPhone?.PhoneNumber ?? shipTo?.PrimaryPhone?.PhoneNumber,
                Country = Country(registration?.ContactAddress?.CountryCode ?? order.Buyer?.TaxAddress?.CountryCode ?? address?.CountryCode),
                City = registration?.ContactAddress?.City ?? order.Buyer?.TaxAddress?.City ?? address?.City,
                PostalCode = registration?.ContactAddress?.PostalCode ?? order.Buyer?.TaxAddress?.PostalCode ?? address?.PostalCode,
            },
            CreatedAt = created.ToUniversalTime(),
            UpdatedAt = updated.ToUniversalTime(),
            Status = Status(order.CancelStatus?.CancelState, order.OrderPaymentStatus, order.OrderFulfillmentStatus),
            Currency = currency,
            Total = Money(total, $"order {id} pricingSummary.total"),
            Lines = [.. (order.LineItems ?? []).Select(l => Line(id, l))],
            ShippingCity = address?.City,
            ShippingCountry = Country(address?.CountryCode),
        };
    }

    // lineItemCost is the line's price for all its units (unit price × quantity), before discounts.
    private static OrderLine Line(string orderId, EbayLineItem line)
    {
        var quantity = line.Quantity > 0 ? line.Quantity : 1;
        var cost = Money(line.LineItemCost, $"order {orderId} line {line.LineItemId} lineItemCost");
        return new OrderLine(line.Sku is { Length: > 0 } s ? s : line.LegacyItemId ?? line.LineItemId ?? "", line.Title ?? "", quantity, decimal.Round(cost / quantity, 2));
    }

    private static string? Country(string? code) => code is { Length: 2 } ? code.ToUpperInvariant() : null;

    /// <summary>POSITIVE → 5, NEUTRAL → 3, NEGATIVE → 1.</summary>
    public static int Rating(string? commentType) => commentType?.ToUpperInvariant() switch
    {
        "POSITIVE" => 5,
        "NEUTRAL" => 3,
        "NEGATIVE" => 1,
        _ => throw new FormatException($"unknown commentType '{commentType}'"),
    };

    public static ReviewRecord Review(EbayFeedback feedback, string rawJson)
    {
        var id = feedback.FeedbackId is { Length: > 0 } f ? f : throw new FormatException("the feedback has no feedbackId");
        var entered = feedback.FeedbackEnteredDate ?? throw new FormatException($"feedback {id} has no feedbackEnteredDate");
        var user = feedback.ProviderUserDetail?.UserId;
        return new ReviewRecord
        {
            ExternalId = id,
            RawJson = rawJson,
            Buyer = user is { Length: > 0 } ? new BuyerIdentity { BuyerId = user } : null,
            OrderExternalId = null, // eBay names the order line item (itemId-transactionId), not the order
            Sku = null,
            Rating = Rating(feedback.CommentType),
            Text = feedback.FeedbackComment?.CommentText ?? "",
            CreatedAt = entered.ToUniversalTime(),
            UpdatedAt = entered.ToUniversalTime(),
            SellerReply = feedback.ReplyComment?.CommentText is { Length: > 0 } reply ? reply : null,
        };
    }

    public static ChatMessage Message(EbayMessage message, string conversationId, string buyer, string seller, string rawJson)
    {
        var id = message.MessageId is { Length: > 0 } m ? m : throw new FormatException($"a message of conversation {conversationId} has no messageId");
        var sent = message.CreatedDate ?? throw new FormatException($"message {id} has no createdDate");
        var outbound = string.Equals(message.SenderUsername, seller, StringComparison.OrdinalIgnoreCase);
        return new ChatMessage
        {
            ExternalId = id,
            RawJson = rawJson,
            ConversationId = conversationId,
            Buyer = new BuyerIdentity { BuyerId = buyer },
            Direction = outbound ? MessageDirection.Outbound : MessageDirection.Inbound,
            Text = message.MessageBody ?? "",
            SentAt = sent.ToUniversalTime(),
        };
    }
}
