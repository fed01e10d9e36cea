using Platform.Host.Storage;

namespace Platform.Host.Customers;

public sealed record OrderLineView(string Sku, string Title, int Quantity, decimal UnitPrice);
public sealed record OrderView(string Store, string Id, string? Customer, string BuyerId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string Status, string Currency, decimal Total, string? ShippingCity, string? ShippingCountry, IReadOnlyList<OrderLineView> Lines);
public sealed record ReviewView(string Store, string Id, string? Customer, string? BuyerId, string? OrderId, string? Sku, int Rating, string Text,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? SellerReply, DateTimeOffset? RepliedAt, double Sentiment);
public sealed record MessageView(string Store, string Id, string? Customer, string ConversationId, string BuyerId, string Direction, string Text,
    DateTimeOffset SentAt, string? OrderId, double Sentiment);

public static class RecordViews
{
    public static OrderView Order(OrderRow o, IEnumerable<OrderLineRow> lines, string? customer = null) => new(o.StoreId, o.ExternalId, customer, o.BuyerId,
        o.CreatedAt, o.UpdatedAt, o.Status, o.Currency, o.Total, o.ShippingCity, o.ShippingCountry,
        lines.OrderBy(l => l.LineNo).Select(l => new OrderLineView(l.Sku, l.Title, l.Quantity, l.UnitPrice)).ToList());

    public static ReviewView Review(ReviewRow r, string? customer = null) => new(r.StoreId, r.ExternalId, customer, r.BuyerId, r.OrderExternalId, r.Sku,
        r.Rating, r.Text, r.CreatedAt, r.UpdatedAt, r.SellerReply, r.RepliedAt, Math.Round(r.Sentiment, 3));

    public static MessageView Message(MessageRow m, string? customer = null) => new(m.StoreId, m.ExternalId, customer, m.ConversationId, m.BuyerId,
        m.Direction, m.Text, m.SentAt, m.OrderExternalId, Math.Round(m.Sentiment, 3));
}
