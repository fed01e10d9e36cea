using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;
using Platform.Plugins.Sandbox.Orders;

namespace Platform.Plugins.Sandbox.Chats;

/// <summary>
/// The conversation about an order, if any (about 15% of orders): the buyer writes 1–8 hours after ordering,
/// the seller answers 1–30 hours later 80% of the time, and the buyer sometimes says thanks. Unix seconds, 0 = never.
/// </summary>
internal readonly record struct ChatPlan(long Question, long Answer, long Thanks, bool Chinese, int Topic, int ThanksChoice)
{
    public const int MessagesPerOrder = 3;

    public static ChatPlan? For(ulong storeHash, long day, int k, in OrderTimeline order)
    {
        var draws = new Draws(StableHash.Of(storeHash, (ulong)day, (ulong)k, Salt.Chat));
        if (!draws.Chance(0.15))
            return null;
        var question = order.Created + draws.Between((int)UnixTime.Hour, (int)(8 * UnixTime.Hour));
        var answer = draws.Chance(0.80) ? question + draws.Between((int)UnixTime.Hour, (int)(30 * UnixTime.Hour)) : 0;
        var thanks = answer != 0 && draws.Chance(0.40) ? answer + draws.Between((int)(5 * UnixTime.Minute), (int)(6 * UnixTime.Hour)) : 0;
        var unhappy = order.ClosedStatus is OrderStatus.Refunded or OrderStatus.Returned;
        var topic = unhappy && draws.Chance(0.7) ? ChatTexts.ComplaintTopic : draws.Below(1000);
        return new ChatPlan(question, answer, thanks, draws.Chance(0.30), topic, draws.Below(1000));
    }

    /// <summary>When message <paramref name="n"/> (1 to 3) is sent, 0 if never.</summary>
    public long SentAt(int n) => n switch
    {
        1 => Question,
        2 => Answer,
        3 => Thanks,
        _ => throw new ArgumentOutOfRangeException(nameof(n), n, null),
    };

    public static MessageDirection Direction(int n) => n == 2 ? MessageDirection.Outbound : MessageDirection.Inbound;
}
