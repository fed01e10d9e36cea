using System.Text.Json;
using Platform.Abstractions;
using Xunit;

namespace Platform.Abstractions.Tests;

public sealed class ContractTests
{
    [Fact]
    public void A_manifest_reads_from_plugin_json()
    {
        const string json = """
            { "id": "shopee", "name": "Shopee", "version": "1.0.0", "contract": 1, "assembly": "Platform.Plugins.Shopee.dll",
              "streams": ["orders", "reviews", "chats"],
              "settings": { "type": "object", "properties": { "partnerKey": { "type": "string", "x-secret": true } } } }
            """;
        var manifest = JsonSerializer.Deserialize<PluginManifest>(json)!;
        Assert.Equal(("shopee", 1, "Platform.Plugins.Shopee.dll"), (manifest.Id, manifest.Contract, manifest.Assembly));
        Assert.Equal(["orders", "reviews", "chats"], manifest.Streams);
        Assert.True(manifest.Settings.GetProperty("properties").GetProperty("partnerKey").GetProperty("x-secret").GetBoolean());
        Assert.Equal(ContractVersion.Current, manifest.Contract);
    }

    [Fact]
    public void A_manifest_without_required_fields_does_not_read()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PluginManifest>("""{ "id": "x", "name": "X" }"""));
    }

    [Fact]
    public void Cursors_are_json_and_round_trip()
    {
        var cursor = StreamCursor.From(new { changedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), externalId = "o1" });
        Assert.Equal("o1", cursor.Read<JsonElement>().GetProperty("externalId").GetString());
        Assert.Equal(cursor, new StreamCursor(cursor.Json));
        Assert.Throws<ArgumentException>(() => new StreamCursor("page 3"));
        Assert.Throws<ArgumentException>(() => new StreamCursor(" "));
    }

    [Theory]
    [InlineData("orders", StreamName.Orders)]
    [InlineData(" Reviews ", StreamName.Reviews)]
    [InlineData("CHATS", StreamName.Chats)]
    public void Stream_names_parse_from_their_wire_names(string wire, StreamName expected)
    {
        Assert.True(StreamNames.TryParse(wire, out var stream));
        Assert.Equal(expected, stream);
        Assert.Equal(wire.Trim().ToLowerInvariant(), stream.ToWire());
    }

    [Fact]
    public void Unknown_stream_names_do_not_parse() => Assert.False(StreamNames.TryParse("invoices", out _));

    [Fact]
    public void Settings_give_typed_values_with_fallbacks()
    {
        var settings = ConnectorSettings.Parse("""{ "shopId": 123, "partnerKey": "k", "pageSize": "50", "rate": 1.5, "sandbox": true, "none": null }""");
        Assert.Equal("123", settings.GetString("shopId"));
        Assert.Equal("k", settings.GetRequiredString("partnerKey"));
        Assert.Equal(50, settings.GetInt64("pageSize", 100));
        Assert.Equal(100, settings.GetInt64("missing", 100));
        Assert.Equal(1.5, settings.GetDouble("rate", 0));
        Assert.True(settings.GetBoolean("sandbox", false));
        Assert.Null(settings.GetString("none"));
        Assert.Contains("'missing'", Assert.Throws<InvalidOperationException>(() => settings.GetRequiredString("missing")).Message);
        Assert.Throws<ArgumentException>(() => ConnectorSettings.Parse("[1,2]"));
    }

    [Fact]
    public void Records_report_when_they_changed()
    {
        var buyer = new BuyerIdentity { BuyerId = "b1" };
        var at = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        SourceRecord order = new OrderRecord
        {
            ExternalId = "o1", RawJson = "{}", Buyer = buyer, CreatedAt = at, UpdatedAt = at.AddDays(2), Status = OrderStatus.Shipped,
            Currency = "SGD", Total = 10.50m, Lines = [new OrderLine("S", "T", 1, 10.50m)],
        };
        SourceRecord message = new ChatMessage
        {
            ExternalId = "m1", RawJson = "{}", ConversationId = "c1", Buyer = buyer, Direction = MessageDirection.Inbound, Text = "hi", SentAt = at,
        };
        Assert.Equal(at.AddDays(2), order.ChangedAt);
        Assert.Equal(at, message.ChangedAt);
    }
}
