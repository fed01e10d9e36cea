using System.Text.Json.Serialization;

namespace Platform.Abstractions;

/// <summary>The three kinds of data a connector can read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamName>))]
public enum StreamName
{
    /// <summary>Orders with their lines and status.</summary>
    [JsonStringEnumMemberName("orders")] Orders,
    /// <summary>Product or seller reviews written by buyers.</summary>
    [JsonStringEnumMemberName("reviews")] Reviews,
    /// <summary>Buyer–seller chat messages.</summary>
    [JsonStringEnumMemberName("chats")] Chats,
}

/// <summary>Conversions between <see cref="StreamName"/> and its wire name (<c>orders</c>, <c>reviews</c>, <c>chats</c>).</summary>
public static class StreamNames
{
    /// <summary>All streams, in the order the host syncs them.</summary>
    public static IReadOnlyList<StreamName> All { get; } = [StreamName.Orders, StreamName.Reviews, StreamName.Chats];

    /// <summary>The wire name of a stream.</summary>
    public static string ToWire(this StreamName stream) => stream switch
    {
        StreamName.Orders => "orders",
        StreamName.Reviews => "reviews",
        StreamName.Chats => "chats",
        _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, null),
    };

    /// <summary>Parses a wire name; false for anything else.</summary>
    public static bool TryParse(string? value, out StreamName stream)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "orders": stream = StreamName.Orders; return true;
            case "reviews": stream = StreamName.Reviews; return true;
            case "chats": stream = StreamName.Chats; return true;
            default: stream = default; return false;
        }
    }
}
