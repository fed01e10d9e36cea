using System.Globalization;
using Platform.Abstractions;
using Platform.Plugins.Example.Api;

namespace Platform.Plugins.Example;

/// <summary>Wire shapes to contract records, in one place.</summary>
internal static class Map
{
    // TODO: your marketplace's statuses.
    public static OrderStatus Status(string status) => status switch
    {
        "paid" => OrderStatus.Paid,
        "shipped" => OrderStatus.Shipped,
        "delivered" => OrderStatus.Delivered,
        "completed" => OrderStatus.Completed,
        "cancelled" => OrderStatus.Cancelled,
        "refunded" => OrderStatus.Refunded,
        "returned" => OrderStatus.Returned,
        _ => OrderStatus.Pending,
    };

    public static decimal Money(string amount) => decimal.Parse(amount, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static OrderRecord Order(XmplOrder order, string rawJson) => new()
    {
        ExternalId = order.Id,
        RawJson = rawJson,
        Buyer = new BuyerIdentity
        {
            BuyerId = order.Buyer.Id,
            Name = order.Buyer.Name,
            Email = order.Buyer.Email,
            Phone = order.Buyer.Phone,
            Country = order.Buyer.Country,
        },
        CreatedAt = order.CreatedAt.ToUniversalTime(),
        UpdatedAt = order.UpdatedAt.ToUniversalTime(),
        Status = Status(order.Status),
        Currency = order.Currency,
        Total = Money(order.Total),
        Lines = [.. order.Lines.Select(l => new OrderLine(l.Sku, l.Title, l.Quantity, Money(l.UnitPrice)))],
    };
}
