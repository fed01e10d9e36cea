using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;
using Platform.Plugins.Sandbox.Orders;

namespace Platform.Plugins.Sandbox.Reviews;

/// <summary>
/// The review of a delivered order, if it gets one (about 30%): written 1–3 days after delivery, answered by the
/// seller 1–2 days later about 40% of the time. Times in Unix seconds, <see cref="Replied"/> 0 when never;
/// <see cref="TextChoice"/> is negative for a rating without text (a few 4–5★ reviews).
/// </summary>
internal readonly record struct ReviewPlan(long Created, long Replied, int Rating, bool Chinese, int TextChoice)
{
    public static ReviewPlan? For(ulong storeHash, long day, int k, in OrderTimeline order)
    {
        if (order.Delivered == 0)
            return null;
        var draws = new Draws(StableHash.Of(storeHash, (ulong)day, (ulong)k, Salt.Review));
        if (!draws.Chance(0.30))
            return null;
        var created = order.Delivered + draws.Between((int)UnixTime.Day, (int)(3 * UnixTime.Day));
        var replied = draws.Chance(0.40) ? created + draws.Between((int)UnixTime.Day, (int)(2 * UnixTime.Day)) : 0;
        var unhappy = order.ClosedStatus is OrderStatus.Refunded or OrderStatus.Returned;
        var rating = unhappy
            ? draws.Unit() switch { < 0.5 => 1, < 0.85 => 2, _ => 3 }
            : draws.Unit() switch { < 0.55 => 5, < 0.80 => 4, < 0.88 => 3, < 0.94 => 2, _ => 1 };
        var chinese = draws.Chance(0.30);
        var textChoice = rating >= 4 && draws.Chance(0.10) ? -1 : draws.Below(1000);
        return new ReviewPlan(created, replied, rating, chinese, textChoice);
    }

    public bool ExistsAt(long now) => Created <= now;

    public bool RepliedAt(long now) => Replied != 0 && Replied <= now;

    public long ChangedAt(long now) => RepliedAt(now) ? Replied : Created;
}
