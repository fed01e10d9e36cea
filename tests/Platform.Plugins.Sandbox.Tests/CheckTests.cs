using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed class CheckTests
{
    private static readonly ReadWindow Window = new(Harness.Now.AddDays(-10), Harness.Now);

    [Fact]
    public async Task Check_succeeds_and_describes_the_store()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"people":500,"ordersPerDay":7.5,"currency":"SGD"}""");

        var result = await connector.CheckAsync(CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal("Sandbox store ready: 500 people, ~7.5 orders/day, currency SGD", result.Message);
    }

    [Fact]
    public async Task Check_with_defaults_succeeds()
    {
        var result = await Harness.Connect("store-a", new ManualClock(Harness.Now)).CheckAsync(CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal("Sandbox store ready: 300 people, ~12 orders/day, currency USD", result.Message);
    }

    [Fact]
    public async Task Invalid_api_token_fails_the_check_naming_apiToken()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"apiToken":"invalid"}""");

        var result = await connector.CheckAsync(CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains("apiToken", result.Message);
    }

    [Theory]
    [InlineData(StreamName.Orders)]
    [InlineData(StreamName.Reviews)]
    [InlineData(StreamName.Chats)]
    public async Task Invalid_api_token_fails_reads_naming_apiToken(StreamName stream)
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"apiToken":"invalid"}""");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Harness.ReadPagesAsync(connector, stream, null, Window));

        Assert.Contains("apiToken", error.Message);
    }

    [Fact]
    public async Task Any_other_api_token_is_accepted()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"apiToken":"s3cret"}""");

        Assert.True((await connector.CheckAsync(CancellationToken.None)).Ok);
        Assert.NotEmpty(await Harness.ReadPagesAsync(connector, StreamName.Orders, null, Window));
    }

    [Theory]
    [InlineData("""{"people":0}""", "people")]
    [InlineData("""{"ordersPerDay":0}""", "ordersPerDay")]
    [InlineData("""{"currency":"usd"}""", "currency")]
    [InlineData("""{"pageSize":5000}""", "pageSize")]
    public void Out_of_range_settings_are_refused_by_name(string settings, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Harness.Connect("store-a", new ManualClock(Harness.Now), settings));

        Assert.Contains(name, error.Message);
    }
}
