using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.Orders;

/// <summary>
/// When an order goes through its statuses, in Unix seconds (0 = never). Every order ends closed:
/// cancelled, completed, refunded or returned, at most about 15 days after it was placed.
/// </summary>
internal readonly record struct OrderTimeline(long Created, long Paid, long Shipped, long Delivered, long Closed, OrderStatus ClosedStatus)
{
    /// <summary>The longest time from placing an order to its last change, with margin; reads scan back this far.</summary>
    public const int MaxSpanDays = 25;

    /// <summary>
    /// The timeline of order <paramref name="k"/> of the <paramref name="count"/> orders of <paramref name="day"/>;
    /// order k is placed at a random moment of the k-th slice of the day, so numbers grow with time.
    /// </summary>
    public static OrderTimeline Plan(long day, int k, int count, ref Draws draws)
    {
        var created = day * UnixTime.Day + (long)((k - 1 + draws.Unit()) * UnixTime.Day / count);
        var fate = draws.Unit();
        if (fate < 0.03) // never paid: cancelled by the marketplace after a day
            return new(created, 0, 0, 0, created + UnixTime.Day, OrderStatus.Cancelled);

        var paid = created + draws.Between((int)UnixTime.Minute, (int)(90 * UnixTime.Minute));
        if (fate < 0.07) // cancelled by the buyer a few hours after paying
            return new(created, paid, 0, 0, paid + draws.Between((int)UnixTime.Hour, (int)(12 * UnixTime.Hour)), OrderStatus.Cancelled);

        var shipped = paid + draws.Between((int)UnixTime.Day, (int)(2 * UnixTime.Day));
        var delivered = shipped + draws.Between((int)(2 * UnixTime.Day), (int)(6 * UnixTime.Day));
        return fate switch
        {
            < 0.09 => new(created, paid, shipped, delivered, delivered + draws.Between((int)UnixTime.Day, (int)(6 * UnixTime.Day)), OrderStatus.Refunded),
            < 0.10 => new(created, paid, shipped, delivered, delivered + draws.Between((int)(2 * UnixTime.Day), (int)(6 * UnixTime.Day)), OrderStatus.Returned),
            _ => new(created, paid, shipped, delivered, delivered + 7 * UnixTime.Day, OrderStatus.Completed),
        };
    }

    /// <summary>The status at <paramref name="now"/> and when it was reached; the order must exist (Created ≤ now).</summary>
    public (OrderStatus Status, long Since) StateAt(long now)
    {
        if (Closed <= now) return (ClosedStatus, Closed);
        if (Delivered != 0 && Delivered <= now) return (OrderStatus.Delivered, Delivered);
        if (Shipped != 0 && Shipped <= now) return (OrderStatus.Shipped, Shipped);
        if (Paid != 0 && Paid <= now) return (OrderStatus.Paid, Paid);
        return (OrderStatus.Pending, Created);
    }
}
