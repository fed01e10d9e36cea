using System.Text.Json;
using Platform.Abstractions;
using Platform.Plugins.MercadoLibre.Api;

namespace Platform.Plugins.MercadoLibre;

/// <summary>Mercado Libre payloads to contract records.</summary>
public static class Map
{
    /// <summary>An order; <paramref name="raw"/> is kept as RawJson.</summary>
    public static OrderRecord Order(OrderDto order, JsonElement raw)
    {
        ArgumentNullException.ThrowIfNull(order);
        var lines = (order.OrderItems ?? []).Select(line => new OrderLine(
            Sku: line.Item?.SellerSku is { Length: > 0 } sku ? sku : line.Item?.Id ?? "",
            Title: line.Item?.Title ?? "",
            Quantity: line.Quantity,
            UnitPrice: line.UnitPrice)).ToList();
        var country = SiteCountry(order.OrderItems?.Select(i => i.Item?.Id).FirstOrDefault(id => id is not null));
        var created = order.DateCreated.ToUniversalTime();
        return new OrderRecord
        {
            ExternalId = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            RawJson = raw.GetRawText(),
            Buyer = Buyer(order.Buyer, country),
            CreatedAt = created,
            UpdatedAt = (order.DateLastUpdated ?? order.LastUpdated ?? order.DateClosed ?? order.DateCreated).ToUniversalTime(),
            Status = Status(order.Status, order.Tags),
            Currency = (order.CurrencyId ?? order.OrderItems?.FirstOrDefault()?.CurrencyId ?? "").ToUpperInvariant(),
            Total = order.TotalAmount,
            Lines = lines,
            ShippingCountry = country,
        };
    }

    /// <summary>
    /// Order status (developers.mercadolibre.com, Order status): confirmed, payment_required, payment_in_process and
    /// partially_paid are pending; paid is paid, or delivered with the "delivered" tag (shipped with "shipped");
    /// pending_cancel, cancelled and invalid are cancelled; partially_refunded and refunded are refunded.
    /// </summary>
    public static OrderStatus Status(string? status, IReadOnlyCollection<string>? tags = null) => status?.ToLowerInvariant() switch
    {
        "paid" when tags?.Contains("delivered") == true => OrderStatus.Delivered,
        "paid" when tags?.Contains("shipped") == true => OrderStatus.Shipped,
        "paid" => OrderStatus.Paid,
        "cancelled" or "invalid" or "pending_cancel" => OrderStatus.Cancelled,
        "partially_refunded" or "refunded" => OrderStatus.Refunded,
        _ => OrderStatus.Pending,
    };

    /// <summary>The buyer of an order.</summary>
    public static BuyerIdentity Buyer(OrderBuyerDto? buyer, string? country)
    {
        var name = string.Join(' ', new[] { buyer?.FirstName, buyer?.LastName }.Where(s => !string.IsNullOrWhiteSpace(s))).Trim();
        return new BuyerIdentity
        {
            BuyerId = buyer?.Id ?? "",
            Name = name.Length > 0 ? name : buyer?.Nickname,
            Email = string.IsNullOrWhiteSpace(buyer?.Email) ? null : buyer.Email,
            Country = country,
        };
    }

    /// <summary>A product review: anonymous on Mercado Libre, so without a buyer; its only time is date_created.</summary>
    public static ReviewRecord Review(ReviewDto review, JsonElement raw)
    {
        ArgumentNullException.ThrowIfNull(review);
        var when = review.DateCreated.ToUniversalTime();
        var text = string.Join("\n", new[] { review.Title, review.Content }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return new ReviewRecord
        {
            ExternalId = review.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            RawJson = raw.GetRawText(),
            Buyer = null,
            Sku = review.ReviewableObject?.Id,
            Rating = Math.Clamp(review.Rate, 1, 5),
            Text = text,
            CreatedAt = when,
            UpdatedAt = when,
        };
    }

    /// <summary>The id of the buyer's message of a question.</summary>
    public static string QuestionMessageId(long questionId) => questionId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The id of the seller's answer to a question.</summary>
    public static string AnswerMessageId(long questionId) => $"{questionId}-answer";

    /// <summary>The conversation of a question: the buyer's questions on one listing.</summary>
    public static string QuestionConversation(QuestionDto question) => $"questions/{question.ItemId}/{question.From?.Id}";

    /// <summary>A question as an inbound message.</summary>
    public static ChatMessage Question(QuestionDto question, JsonElement raw)
    {
        ArgumentNullException.ThrowIfNull(question);
        return new ChatMessage
        {
            ExternalId = QuestionMessageId(question.Id),
            RawJson = raw.GetRawText(),
            ConversationId = QuestionConversation(question),
            Buyer = QuestionBuyer(question),
            Direction = MessageDirection.Inbound,
            Text = question.Text ?? "",
            SentAt = question.DateCreated.ToUniversalTime(),
        };
    }

    /// <summary>The seller's answer to a question as an outbound message, or null without an answer.</summary>
    public static ChatMessage? Answer(QuestionDto question, JsonElement raw)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.Answer is not { DateCreated: { } answered } answer)
            return null;
        return new ChatMessage
        {
            ExternalId = AnswerMessageId(question.Id),
            RawJson = raw.GetRawText(),
            ConversationId = QuestionConversation(question),
            Buyer = QuestionBuyer(question),
            Direction = MessageDirection.Outbound,
            Text = answer.Text ?? "",
            SentAt = answered.ToUniversalTime(),
        };
    }

    /// <summary>The pack of an order: its pack_id, or the order id when pack_id is null (the documented rule).</summary>
    public static long PackOf(OrderDto order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.PackId ?? order.Id;
    }

    /// <summary>The conversation of a pack's post-sale messages.</summary>
    public static string PackConversation(long packId) => $"pack:{packId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// A post-sale message of <paramref name="order"/>'s pack: inbound when another user than the seller sent it; the
    /// buyer is the order's; sent at message_date.created. Null when it has no id or no creation time.
    /// </summary>
    public static ChatMessage? PackMessage(PackMessageDto message, JsonElement raw, OrderDto order, string sellerId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(order);
        if (message.Id is not { Length: > 0 } id || message.MessageDate?.Created is not { } created)
            return null;
        return new ChatMessage
        {
            ExternalId = id,
            RawJson = raw.GetRawText(),
            ConversationId = PackConversation(PackOf(order)),
            Buyer = Buyer(order.Buyer, SiteCountry(order.OrderItems?.Select(i => i.Item?.Id).FirstOrDefault(i => i is not null))),
            Direction = message.From?.UserId == sellerId ? MessageDirection.Outbound : MessageDirection.Inbound,
            Text = message.Text ?? "",
            SentAt = created.ToUniversalTime(),
            OrderExternalId = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static BuyerIdentity QuestionBuyer(QuestionDto question) => new()
    {
        BuyerId = question.From?.Id ?? "",
        Country = SiteCountry(question.ItemId),
    };

    /// <summary>The country of a Mercado Libre site, from an item id's site prefix (MLA…, MLB…).</summary>
    public static string? SiteCountry(string? itemId) => itemId is { Length: >= 3 } ? itemId[..3].ToUpperInvariant() switch
    {
        "MLA" => "AR",
        "MLB" => "BR",
        "MLM" => "MX",
        "MLC" => "CL",
        "MCO" => "CO",
        "MLU" => "UY",
        "MPE" => "PE",
        "MLV" => "VE",
        "MEC" => "EC",
        "MBO" => "BO",
        "MPY" => "PY",
        "MCR" => "CR",
        "MPA" => "PA",
        "MRD" => "DO",
        "MGT" => "GT",
        "MHN" => "HN",
        "MNI" => "NI",
        "MSV" => "SV",
        _ => null,
    } : null;
}
