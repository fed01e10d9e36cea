using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.WooCommerce.Tests;

/// <summary>A fake served over HTTP and connectors to it, through the host's pipeline.</summary>
internal sealed class TestShop : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public TestShop(MarketplaceFake fake)
    {
        fake.Clock = new ManualClock(Now);
        Server = new FakeMarketplaceServer(fake);
    }

    public FakeMarketplaceServer Server { get; }

    public static ReadWindow Window => new(Now.AddDays(-60), Now.AddSeconds(-5));

    public IConnector Connect(string? baseUrl = null, string key = WooCommerceFake.ConsumerKey, string secret = WooCommerceFake.ConsumerSecret)
    {
        var plugin = new WooCommercePlugin();
        var settings = new JsonObject { ["baseUrl"] = baseUrl ?? Server.Url, ["consumerKey"] = key, ["consumerSecret"] = secret };
        return plugin.Create(KitContext.Create(plugin, settings.ToJsonString(), new ManualClock(Now), new InMemoryTokenStore()));
    }

    public static async Task<List<RecordPage>> ReadAsync(IConnector connector, StreamName stream, StreamCursor? cursor = null, ReadWindow? window = null)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in connector.ReadAsync(stream, cursor, window ?? Window, CancellationToken.None))
            pages.Add(page);
        return pages;
    }

    public void Dispose() => Server.Dispose();
}

/// <summary>Answers every page request with one fixed body (a documented example payload).</summary>
internal sealed class FixedPayloadFake(string body) : MarketplaceFake
{
    public override FakeResponse Handle(FakeRequest request) =>
        new(200, IsPageRequest(request) && request.Q("page") is null or "1" ? body : "[]",
            new Dictionary<string, string> { ["X-WP-Total"] = "1", ["X-WP-TotalPages"] = "1" });

    public override string ExternalIdOf(SampleItem item) => item.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override bool IsPageRequest(FakeRequest request) => request.Path.EndsWith("/orders", StringComparison.Ordinal) || request.Path.EndsWith("/reviews", StringComparison.Ordinal);
}
