using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;
using Platform.Plugins.Sandbox.Reading;

namespace Platform.Plugins.Sandbox.Orders;

/// <summary>The <c>orders</c> stream: an order changes whenever its status does.</summary>
internal sealed class OrderStream(OrderPlanner planner) : StreamSource(planner)
{
    public override void Collect(long day, int index, in OrderTimeline timeline, long now, SkeletonCollector collector)
    {
        var (_, since) = timeline.StateAt(now);
        if (collector.Wants(since))
            collector.Add(since, Planner.OrderId(day, index), day, index);
    }

    public override SourceRecord Materialize(in Skeleton skeleton, long now, ReadSession session)
    {
        var timeline = Planner.Timeline(skeleton.Day, skeleton.Index);
        var (status, since) = timeline.StateAt(now);
        var buyerIndex = Planner.BuyerIndex(skeleton.Day, skeleton.Index);
        var buyer = session.Buyer(buyerIndex);
        var contents = Planner.Contents(skeleton.Day, skeleton.Index, buyerIndex);
        var currency = Planner.Store.Settings.Currency;
        return new OrderRecord
        {
            ExternalId = skeleton.ExternalId,
            Buyer = buyer.Identity,
            CreatedAt = UnixTime.ToTime(timeline.Created),
            UpdatedAt = UnixTime.ToTime(since),
            Status = status,
            Currency = currency,
            Total = contents.Total,
            Lines = contents.Lines,
            ShippingCity = buyer.Person.City,
            ShippingCountry = buyer.Person.Country,
            RawJson = OrderJson.Write(session.Json, skeleton.ExternalId, buyer, timeline, status, since, now, currency, contents),
        };
    }
}
