using System.Text.RegularExpressions;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed partial class ChatTests
{
    private static readonly DateTimeOffset Since = Harness.Now.AddDays(-60);

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [GeneratedRegex("^msg-(?<order>SBX[0-9A-F]{8}-[0-9]{8}-[0-9]{5})-(?<n>[1-3])$")]
    private static partial Regex MessageId();

    [Fact]
    public async Task Conversations_follow_orders_with_buyer_questions_and_seller_answers()
    {
        var clock = new ManualClock(Harness.Now);
        var connector = Harness.Connect("store-a", clock, """{"pageSize":20}""");

        var pages = await Harness.ReadPagesAsync(connector, StreamName.Chats, null, new ReadWindow(Since, Harness.Now));
        var messages = pages.Records().Cast<ChatMessage>().ToList();
        var orders = (await Harness.ReadPagesAsync(connector, StreamName.Orders, null, new ReadWindow(Since.AddDays(-30), Harness.Now)))
            .Records().Cast<OrderRecord>().ToDictionary(o => o.ExternalId);

        Harness.AssertWellFormed(pages, 20, Since, Harness.Now);
        Assert.True(messages.Count > 100, $"only {messages.Count} messages");
        Assert.All(messages, m =>
        {
            var id = MessageId().Match(m.ExternalId);
            Assert.True(id.Success, m.ExternalId);
            Assert.Equal(id.Groups["order"].Value, m.OrderExternalId);
            var order = orders[m.OrderExternalId!];
            Assert.Equal(order.Buyer, m.Buyer);
            Assert.Equal($"conv-{m.Buyer.BuyerId["sbx-".Length..]}", m.ConversationId);
            Assert.Equal(id.Groups["n"].Value == "2" ? MessageDirection.Outbound : MessageDirection.Inbound, m.Direction);
            Assert.True(m.SentAt > order.CreatedAt && m.SentAt <= Harness.Now);
            Assert.NotEmpty(m.Text);
        });

        foreach (var conversation in messages.GroupBy(m => m.OrderExternalId))
        {
            var ordered = conversation.OrderBy(m => m.ExternalId, StringComparer.Ordinal).ToList();
            Assert.Equal(MessageDirection.Inbound, ordered[0].Direction);
            Assert.True(ordered.Zip(ordered.Skip(1)).All(p => p.First.SentAt < p.Second.SentAt));
        }
        Assert.Contains(messages, m => m.Direction == MessageDirection.Outbound);
        Assert.Contains(messages, m => m.ExternalId.EndsWith("-3", StringComparison.Ordinal));
        Assert.Contains(messages, m => Chinese().IsMatch(m.Text));
        Assert.Contains(messages, m => !Chinese().IsMatch(m.Text));
        var share = (double)messages.Where(m => m.ExternalId.EndsWith("-1", StringComparison.Ordinal)).Count(m => orders[m.OrderExternalId!].CreatedAt >= Since)
            / orders.Values.Count(o => o.CreatedAt >= Since);
        Assert.InRange(share, 0.08, 0.25);
    }

    [Fact]
    public async Task Messages_appear_only_once_sent()
    {
        var clock = new ManualClock(Harness.Now);
        var connector = Harness.Connect("store-a", clock);
        var window = new ReadWindow(Since, Harness.Now.AddDays(5));

        var before = (await Harness.ReadPagesAsync(connector, StreamName.Chats, null, window)).Records().Cast<ChatMessage>().ToList();
        clock.Now = Harness.Now.AddDays(2);
        var after = (await Harness.ReadPagesAsync(connector, StreamName.Chats, null, window)).Records().Cast<ChatMessage>().ToList();

        Assert.All(before, m => Assert.True(m.SentAt <= Harness.Now));
        Assert.True(after.Count > before.Count);
        Assert.Equal(before.Select(m => m.RawJson), after.Where(m => m.SentAt <= Harness.Now).Select(m => m.RawJson));
    }
}
