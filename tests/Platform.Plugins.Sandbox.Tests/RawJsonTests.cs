using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed partial class RawJsonTests
{
    private static readonly ReadWindow Window = new(Harness.Now.AddDays(-30), Harness.Now);

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex SnakeCase();

    [Theory]
    [InlineData(StreamName.Orders)]
    [InlineData(StreamName.Reviews)]
    [InlineData(StreamName.Chats)]
    public async Task Raw_json_is_a_snake_case_object_that_agrees_with_the_record(StreamName stream)
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now));
        var records = (await Harness.ReadPagesAsync(connector, stream, null, Window)).Records();

        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            using var doc = JsonDocument.Parse(record.RawJson);
            var root = doc.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            AssertSnakeCase(root);
            switch (record)
            {
                case OrderRecord order:
                    Assert.Equal(order.ExternalId, root.GetProperty("order_sn").GetString());
                    Assert.Equal(order.Buyer.BuyerId, root.GetProperty("buyer_user_id").GetString());
                    Assert.Equal(order.Buyer.Email, root.GetProperty("email").GetString());
                    Assert.Equal(order.Buyer.Phone, root.GetProperty("phone").GetString());
                    Assert.Equal(order.Total, root.GetProperty("total_amount").GetDecimal());
                    Assert.Equal(order.Currency, root.GetProperty("currency").GetString());
                    Assert.Equal(order.UpdatedAt.ToUnixTimeSeconds(), root.GetProperty("update_time").GetInt64());
                    Assert.Equal(order.Lines.Select(l => (l.Sku, l.Title, l.Quantity, l.UnitPrice)),
                        root.GetProperty("item_list").EnumerateArray().Select(i => (
                            i.GetProperty("item_sku").GetString()!, i.GetProperty("item_name").GetString()!,
                            i.GetProperty("model_quantity_purchased").GetInt32(), i.GetProperty("model_original_price").GetDecimal())));
                    Assert.Equal(order.ShippingCity, root.GetProperty("recipient_address").GetProperty("city").GetString());
                    break;
                case ReviewRecord review:
                    Assert.Equal(review.ExternalId, root.GetProperty("comment_id").GetString());
                    Assert.Equal(review.Rating, root.GetProperty("rating_star").GetInt32());
                    Assert.Equal(review.Text, root.GetProperty("comment").GetString());
                    Assert.Equal(review.UpdatedAt.ToUnixTimeSeconds(), root.GetProperty("update_time").GetInt64());
                    var reply = root.GetProperty("comment_reply");
                    Assert.Equal(review.SellerReply, reply.ValueKind == JsonValueKind.Null ? null : reply.GetProperty("reply").GetString());
                    break;
                case ChatMessage message:
                    Assert.Equal(message.ExternalId, root.GetProperty("message_id").GetString());
                    Assert.Equal(message.ConversationId, root.GetProperty("conversation_id").GetString());
                    Assert.Equal(message.Text, root.GetProperty("content").GetProperty("text").GetString());
                    Assert.Equal(message.SentAt.ToUnixTimeSeconds(), root.GetProperty("created_timestamp").GetInt64());
                    Assert.Equal(message.Direction == MessageDirection.Inbound ? "buyer" : "seller", root.GetProperty("sender_role").GetString());
                    break;
            }
        }
    }

    [Fact]
    public async Task Chinese_text_is_written_as_is_and_money_with_cents()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"currency":"MYR"}""");
        var orders = (await Harness.ReadPagesAsync(connector, StreamName.Orders, null, Window)).Records().Cast<OrderRecord>().ToList();

        Assert.Contains(orders, o => o.RawJson.Contains("公斤", StringComparison.Ordinal) || o.RawJson.Contains("红包", StringComparison.Ordinal)
            || o.RawJson.Contains("雨伞", StringComparison.Ordinal) || o.RawJson.Contains("月饼", StringComparison.Ordinal));
        Assert.All(orders, o => Assert.Matches(@"""total_amount"":\d+\.\d\d[,}]", o.RawJson));
        Assert.All(orders, o => Assert.Equal(2, o.Total.Scale));
        Assert.Contains(orders, o => o.Lines.Any(l => l.UnitPrice.ToString(CultureInfo.InvariantCulture) == "112.05"));
    }

    private static void AssertSnakeCase(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Assert.Matches(SnakeCase(), property.Name);
                AssertSnakeCase(property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                AssertSnakeCase(item);
        }
    }
}
