using Platform.Abstractions;
using Platform.Plugins.Sandbox.People;
using Platform.Plugins.Sandbox.Reading;

namespace Platform.Plugins.Sandbox.Orders;

/// <summary>The marketplace's payload of an order, shaped like a typical order-detail API (snake_case, Unix seconds).</summary>
internal static class OrderJson
{
    public static string Write(
        JsonScratch scratch, string orderId, StoreBuyer buyer, in OrderTimeline timeline, OrderStatus status,
        long updated, long now, string currency, OrderContents contents)
    {
        var w = scratch.Start();
        w.WriteStartObject();
        w.WriteString("order_sn"u8, orderId);
        w.WriteString("buyer_user_id"u8, buyer.Identity.BuyerId);
        w.WriteString("buyer_username"u8, buyer.Username);
        w.WriteString("email"u8, buyer.Identity.Email);
        w.WriteString("phone"u8, buyer.Identity.Phone);
        w.WriteNumber("create_time"u8, timeline.Created);
        w.WriteNumber("update_time"u8, updated);
        WriteTime(w, "pay_time"u8, timeline.Paid, now);
        WriteTime(w, "ship_time"u8, timeline.Shipped, now);
        WriteTime(w, "delivery_time"u8, timeline.Delivered, now);
        w.WriteString("order_status"u8, Wire(status));
        w.WriteString("currency"u8, currency);
        w.WriteNumber("total_amount"u8, contents.Total);
        w.WriteNumber("shipping_fee"u8, contents.ShippingFee);
        w.WriteStartArray("item_list"u8);
        foreach (var line in contents.Lines)
        {
            w.WriteStartObject();
            w.WriteString("item_sku"u8, line.Sku);
            w.WriteString("item_name"u8, line.Title);
            w.WriteNumber("model_quantity_purchased"u8, line.Quantity);
            w.WriteNumber("model_original_price"u8, line.UnitPrice);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("recipient_address"u8);
        w.WriteString("name"u8, buyer.Person.Name);
        w.WriteString("city"u8, buyer.Person.City);
        w.WriteString("region"u8, buyer.Person.Country);
        w.WriteEndObject();
        w.WriteEndObject();
        return scratch.Finish();
    }

    private static void WriteTime(System.Text.Json.Utf8JsonWriter w, ReadOnlySpan<byte> name, long time, long now)
    {
        if (time != 0 && time <= now)
            w.WriteNumber(name, time);
    }

    private static string Wire(OrderStatus status) => status switch
    {
        OrderStatus.Pending => "UNPAID",
        OrderStatus.Paid => "READY_TO_SHIP",
        OrderStatus.Shipped => "SHIPPED",
        OrderStatus.Delivered => "TO_CONFIRM_RECEIVE",
        OrderStatus.Completed => "COMPLETED",
        OrderStatus.Cancelled => "CANCELLED",
        OrderStatus.Refunded => "REFUNDED",
        OrderStatus.Returned => "RETURNED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
