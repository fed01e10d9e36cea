using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;
using Platform.Plugins.Sandbox.Orders;
using Platform.Plugins.Sandbox.Reading;

namespace Platform.Plugins.Sandbox.Chats;

/// <summary>The <c>chats</c> stream: messages never change; each one appears when it is sent.</summary>
internal sealed class ChatStream(OrderPlanner planner) : StreamSource(planner)
{
    public override void Collect(long day, int index, in OrderTimeline timeline, long now, SkeletonCollector collector)
    {
        if (ChatPlan.For(Planner.Store.Hash, day, index, timeline) is not { } plan)
            return;
        string? orderId = null;
        for (var n = 1; n <= ChatPlan.MessagesPerOrder; n++)
        {
            var sent = plan.SentAt(n);
            if (sent == 0 || sent > now || !collector.Wants(sent))
                continue;
            orderId ??= Planner.OrderId(day, index);
            collector.Add(sent, $"msg-{orderId}-{n}", day, index, n);
        }
    }

    public override SourceRecord Materialize(in Skeleton skeleton, long now, ReadSession session)
    {
        var timeline = Planner.Timeline(skeleton.Day, skeleton.Index);
        var plan = ChatPlan.For(Planner.Store.Hash, skeleton.Day, skeleton.Index, timeline)
            ?? throw new InvalidOperationException($"The sandbox message {skeleton.ExternalId} does not exist.");
        var n = skeleton.Part;
        var orderId = Planner.OrderId(skeleton.Day, skeleton.Index);
        var personIndex = Planner.BuyerIndex(skeleton.Day, skeleton.Index);
        var buyer = session.Buyer(personIndex);
        var conversationId = $"conv-{Planner.Store.Hex}-{personIndex}";
        var direction = ChatPlan.Direction(n);
        var text = n switch
        {
            1 => ChatTexts.Question(plan.Chinese, plan.Topic),
            2 => ChatTexts.Answer(plan.Chinese, plan.Topic),
            _ => ChatTexts.Thanks(plan.Chinese, plan.ThanksChoice),
        };
        var sent = plan.SentAt(n);

        var w = session.Json.Start();
        w.WriteStartObject();
        w.WriteString("message_id"u8, skeleton.ExternalId);
        w.WriteString("conversation_id"u8, conversationId);
        w.WriteString("order_sn"u8, orderId);
        w.WriteString("sender_role"u8, direction == MessageDirection.Inbound ? "buyer" : "seller");
        w.WriteString("from_id"u8, direction == MessageDirection.Inbound ? buyer.Identity.BuyerId : $"shop-{Planner.Store.Hex}");
        w.WriteString("to_id"u8, direction == MessageDirection.Inbound ? $"shop-{Planner.Store.Hex}" : buyer.Identity.BuyerId);
        w.WriteString("buyer_username"u8, buyer.Username);
        w.WriteString("message_type"u8, "text");
        w.WriteStartObject("content"u8);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
        w.WriteNumber("created_timestamp"u8, sent);
        w.WriteEndObject();

        return new ChatMessage
        {
            ExternalId = skeleton.ExternalId,
            ConversationId = conversationId,
            Buyer = buyer.Identity,
            Direction = direction,
            Text = text,
            SentAt = UnixTime.ToTime(sent),
            OrderExternalId = orderId,
            RawJson = session.Json.Finish(),
        };
    }
}
