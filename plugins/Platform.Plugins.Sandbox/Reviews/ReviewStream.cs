using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;
using Platform.Plugins.Sandbox.Orders;
using Platform.Plugins.Sandbox.Reading;

namespace Platform.Plugins.Sandbox.Reviews;

/// <summary>The <c>reviews</c> stream: a review changes when it is written and when the seller replies.</summary>
internal sealed class ReviewStream(OrderPlanner planner) : StreamSource(planner)
{
    public override void Collect(long day, int index, in OrderTimeline timeline, long now, SkeletonCollector collector)
    {
        if (ReviewPlan.For(Planner.Store.Hash, day, index, timeline) is not { } plan || !plan.ExistsAt(now))
            return;
        var changed = plan.ChangedAt(now);
        if (collector.Wants(changed))
            collector.Add(changed, "rv-" + Planner.OrderId(day, index), day, index);
    }

    public override SourceRecord Materialize(in Skeleton skeleton, long now, ReadSession session)
    {
        var timeline = Planner.Timeline(skeleton.Day, skeleton.Index);
        var plan = ReviewPlan.For(Planner.Store.Hash, skeleton.Day, skeleton.Index, timeline)
            ?? throw new InvalidOperationException($"The sandbox review {skeleton.ExternalId} does not exist.");
        var orderId = Planner.OrderId(skeleton.Day, skeleton.Index);
        var buyerIndex = Planner.BuyerIndex(skeleton.Day, skeleton.Index);
        var buyer = session.Buyer(buyerIndex);
        var sku = Planner.Contents(skeleton.Day, skeleton.Index, buyerIndex).Lines[0].Sku;
        var text = ReviewTexts.Text(plan.Rating, plan.Chinese, plan.TextChoice);
        var reply = plan.RepliedAt(now) ? ReviewTexts.Reply(plan.Rating, plan.Chinese, (int)(plan.Created % 1000)) : null;
        var updated = plan.ChangedAt(now);

        var w = session.Json.Start();
        w.WriteStartObject();
        w.WriteString("comment_id"u8, skeleton.ExternalId);
        w.WriteString("order_sn"u8, orderId);
        w.WriteString("item_sku"u8, sku);
        w.WriteString("buyer_user_id"u8, buyer.Identity.BuyerId);
        w.WriteString("buyer_username"u8, buyer.Username);
        w.WriteNumber("rating_star"u8, plan.Rating);
        w.WriteString("comment"u8, text);
        w.WriteNumber("create_time"u8, plan.Created);
        w.WriteNumber("update_time"u8, updated);
        if (reply is null)
        {
            w.WriteNull("comment_reply"u8);
        }
        else
        {
            w.WriteStartObject("comment_reply"u8);
            w.WriteString("reply"u8, reply);
            w.WriteNumber("create_time"u8, plan.Replied);
            w.WriteEndObject();
        }
        w.WriteEndObject();

        return new ReviewRecord
        {
            ExternalId = skeleton.ExternalId,
            Buyer = buyer.Identity,
            OrderExternalId = orderId,
            Sku = sku,
            Rating = plan.Rating,
            Text = text,
            CreatedAt = UnixTime.ToTime(plan.Created),
            UpdatedAt = UnixTime.ToTime(updated),
            SellerReply = reply,
            RawJson = session.Json.Finish(),
        };
    }
}
