using System.Globalization;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Platform.Plugins.MercadoLibre.Tests;
using Platform.Plugins.Testing;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>The host of <see cref="MarketplaceFaultTests"/>: quick retries and a one-second attempt timeout, so faults cost seconds, not minutes.</summary>
public sealed class FaultTolerantHost : HostFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Platform:Http:RetryBaseDelay"] = "00:00:00.05",
        ["Platform:Http:AttemptTimeout"] = "00:00:01",
    };
}

/// <summary>
/// The reliability suite's marketplace faults, end to end: the real host syncs a Mercado Libre seller (the connector's
/// documented wire format, served by WireMock.Net) while the marketplace misbehaves. Each run either completes or fails
/// with a reason a merchant can act on (through the runs API); nothing committed is lost, and the next run catches up
/// to exactly the marketplace's orders.
/// </summary>
public sealed class MarketplaceFaultTests(FaultTolerantHost fixture) : IClassFixture<FaultTolerantHost>, IDisposable
{
    private const int PageSize = 50; // Mercado Libre's /orders/search pages (OrdersReader.Limit)
    private readonly MercadoLibreFake _meli = new();
    private FaultyMarketplace? _server;
    private readonly string _merchant = $"m{Guid.NewGuid():N}"[..12];
    private HttpClient Api { get; } = fixture.Host.Client();

    public void Dispose()
    {
        _server?.Dispose();
        Api.Dispose();
    }

    /// <summary>A seller with <paramref name="orders"/> orders over the last 20 days, connected as store "meli".</summary>
    private async Task<FaultyMarketplace> SellerAsync(int orders)
    {
        var random = new Random(orders);
        var now = DateTimeOffset.UtcNow;
        var from = now.AddDays(-20);
        var span = (long)(now.AddHours(-1) - from).TotalSeconds;
        _meli.Items = [.. Enumerable.Range(1, orders).Select(n =>
        {
            var updated = from.AddSeconds(random.NextInt64(0, span));
            updated = new DateTimeOffset(updated.UtcTicks - updated.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            return new SampleItem(n, updated.AddHours(-random.Next(0, 48)), updated);
        })];
        _server = new FaultyMarketplace(_meli);
        await Api.CreateMerchantAsync(_merchant, "ARS");
        await Api.PutMercadoLibreStoreAsync(_merchant, _server.Url, now.AddDays(-30));
        return _server;
    }

    private async Task<JsonElement> RunAsync()
    {
        var ids = await Api.StartSyncAsync(_merchant, "meli", "orders");
        return Assert.Single(await Api.WaitForRunsAsync(_merchant, "meli", ids));
    }

    private static string Status(JsonElement run) => run.GetProperty("status").GetString()!;
    private static int Count(JsonElement run, string name) => run.GetProperty(name).GetInt32();
    private static string Error(JsonElement run) => run.GetProperty("error").GetString() ?? "";

    /// <summary>The orders stored for the store equal the marketplace's, each once.</summary>
    private async Task AssertCaughtUpAsync()
    {
        var stored = (await Api.GetAllAsync($"/api/v1/merchants/{_merchant}/orders?store=meli")).Select(o => o.GetProperty("id").GetString()!).ToList();
        var source = _meli.AllItems.Select(_meli.ExternalIdOf).ToHashSet();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.True(source.SetEquals(stored), $"{source.Except(stored).Count()} order(s) missing, {stored.Except(source).Count()} unknown of {source.Count}");
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_as_Retry_After_asks_and_one_that_outlasts_the_retries_fails_the_run_saying_so()
    {
        var server = await SellerAsync(orders: 400); // 8 pages

        // Longer than the host's retries (5 by default): six 429s in a row from the third page on.
        server.Faults = (n, _) => n is >= 3 and <= 8 ? MarketplaceFault.TooManyRequests(retryAfterSeconds: 1) : null;
        var failed = await RunAsync();
        Assert.Equal("failed", Status(failed));
        Assert.Contains("429", Error(failed), StringComparison.Ordinal);
        Assert.Contains("Mercado Libre", Error(failed), StringComparison.Ordinal);
        Assert.Contains("/orders/search", Error(failed), StringComparison.Ordinal);
        Assert.Equal(2 * PageSize, Count(failed, "inserted")); // the pages before the storm are kept
        // Every retry came after the wait the marketplace asked for, not after the 50 ms backoff.
        var answers = server.Log.Where(e => e.PageRequest is not null).ToList();
        for (var i = 0; i + 1 < answers.Count; i++)
            if (answers[i].Status == 429)
                Assert.True(answers[i + 1].At - answers[i].At >= TimeSpan.FromMilliseconds(950),
                    $"page request {answers[i + 1].PageRequest} came {(answers[i + 1].At - answers[i].At).TotalMilliseconds:F0} ms after a 429 with Retry-After: 1");

        // A shorter storm (three 429s) is absorbed: the run completes and catches up.
        var first = server.PageRequests + 2;
        server.Faults = (n, _) => n >= first && n < first + 3 ? MarketplaceFault.TooManyRequests(retryAfterSeconds: 1) : null;
        var resumed = await RunAsync();
        Assert.True(Status(resumed) == "succeeded", resumed.ToString());
        Assert.Equal(400 - 2 * PageSize, Count(resumed, "inserted"));
        Assert.Equal(3, server.Log.Count(e => e.PageRequest >= first && e.Status == 429));
        await AssertCaughtUpAsync();
    }

    [Fact]
    public async Task With_30_percent_of_pages_answering_503_the_run_completes_with_every_order_once()
    {
        var server = await SellerAsync(orders: 1_500); // 30 pages
        var random = new Random(30);
        server.Faults = (n, _) => n is not null && random.NextDouble() < 0.3 ? MarketplaceFault.Unavailable : null;

        var run = await RunAsync();
        Assert.True(Status(run) == "succeeded", run.ToString());
        Assert.Equal(1_500, Count(run, "inserted"));
        var pages = server.Log.Where(e => e.PageRequest is not null).ToList();
        var unavailable = pages.Count(e => e.Status == 503);
        Assert.InRange(unavailable / (double)pages.Count, 0.15, 0.45);
        Assert.True(pages.Count(e => e.Status == 200) >= 30); // more when a slow answer was retried
        await AssertCaughtUpAsync();

        var again = await RunAsync();
        Assert.Equal(("succeeded", 0), (Status(again), Count(again, "inserted")));
    }

    [Fact]
    public async Task Pages_that_time_out_are_retried_and_a_marketplace_that_stops_answering_fails_the_run_naming_the_timeout()
    {
        var server = await SellerAsync(orders: 300); // 6 pages
        var hang = MarketplaceFault.Hang(TimeSpan.FromSeconds(2.5)); // the host gives up after 1 s

        // Page 3 never answers in time, however often it is asked.
        server.Faults = (n, _) => n >= 3 ? hang : null;
        var failed = await RunAsync();
        Assert.Equal("failed", Status(failed));
        Assert.Contains("timeout", Error(failed), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("orders page 3", Error(failed), StringComparison.Ordinal);
        Assert.Equal(2 * PageSize, Count(failed, "inserted"));

        // Now only two calls are slow: retried, and the run catches up.
        var first = server.PageRequests + 1;
        server.Faults = (n, _) => n == first + 1 || n == first + 3 ? hang : null;
        var resumed = await RunAsync();
        Assert.True(Status(resumed) == "succeeded", resumed.ToString());
        Assert.Equal(300 - 2 * PageSize, Count(resumed, "inserted"));
        await AssertCaughtUpAsync();
    }

    [Fact]
    public async Task A_page_of_malformed_JSON_fails_the_run_with_marketplace_endpoint_and_snippet_and_the_next_run_resumes_after_the_last_good_page()
    {
        var server = await SellerAsync(orders: 300);
        const string Broken = """{"query":null,"results":[{"id":2000003508000001,"date_created":"2026-""";
        server.Faults = (n, _) => n == 4 ? new MarketplaceFault(new FakeResponse(200, Broken)) : null;

        var failed = await RunAsync();
        Assert.Equal("failed", Status(failed));
        var error = Error(failed);
        Assert.Contains("orders page 4", error, StringComparison.Ordinal);
        Assert.Contains("Mercado Libre", error, StringComparison.Ordinal);
        Assert.Contains("/orders/search", error, StringComparison.Ordinal);
        Assert.Contains("2000003508000001", error, StringComparison.Ordinal); // a snippet of what came
        Assert.Equal(3 * PageSize, Count(failed, "inserted"));

        server.Faults = (_, _) => null;
        var resumed = await RunAsync();
        Assert.True(Status(resumed) == "succeeded", resumed.ToString());
        Assert.Equal(300 - 3 * PageSize, Count(resumed, "inserted"));
        Assert.Equal(0, Count(resumed, "skipped"));
        await AssertCaughtUpAsync();
    }

    [Fact]
    public async Task An_access_token_that_expires_mid_run_is_refreshed_and_a_refresh_refused_mid_run_fails_naming_the_setting()
    {
        var server = await SellerAsync(orders: 400);

        // The token expires before page 3: the marketplace answers 401, the connector refreshes once and goes on.
        server.Faults = (n, _) =>
        {
            if (n == 3) _meli.ExpireAccessTokens();
            return null;
        };
        var run = await RunAsync();
        Assert.True(Status(run) == "succeeded", run.ToString());
        Assert.Equal(400, Count(run, "inserted"));
        Assert.Equal(2, _meli.Refreshes);
        Assert.Contains(server.Log, e => e.PageRequest == 3 && e.Status == 401);

        // The token expires again and the marketplace refuses the refresh (authorization revoked for a while).
        // 200 new orders, changed after the first run's window (the fake writes times to the millisecond).
        var changed = DateTimeOffset.UtcNow;
        changed = new DateTimeOffset(changed.UtcTicks - changed.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        _meli.Items = [.. _meli.Items, .. Enumerable.Range(401, 200).Select(n => new SampleItem(n, changed.AddHours(-1), changed))];
        var at = server.PageRequests + 3;
        server.Faults = (n, _) =>
        {
            if (n == at)
            {
                _meli.ExpireAccessTokens();
                _meli.RejectCredentials = true;
            }
            return null;
        };
        var failed = await RunAsync();
        Assert.Equal("failed", Status(failed));
        Assert.Contains("refreshToken", Error(failed), StringComparison.Ordinal);
        Assert.Equal(2 * PageSize, Count(failed, "inserted"));
        Assert.DoesNotContain(MercadoLibreFake.ClientSecret, fixture.Host.Log, StringComparison.Ordinal);

        _meli.RejectCredentials = false;
        server.Faults = (_, _) => null;
        var resumed = await RunAsync();
        Assert.True(Status(resumed) == "succeeded", resumed.ToString());
        Assert.Equal(200 - 2 * PageSize, Count(resumed, "inserted"));
        await AssertCaughtUpAsync();
    }

    [Fact]
    public async Task A_slow_token_refresh_is_waited_for_not_sent_again_so_the_rotating_refresh_token_survives()
    {
        var server = await SellerAsync(orders: 100);
        var tokenCalls = 0;
        // The first refresh is turned away (503: not carried out, so it is sent again); the second takes longer than
        // the host's attempt timeout. Sending it once more would present a refresh token Mercado Libre already rotated.
        server.Faults = (n, request) => n is null && request.Path == "/oauth/token"
            ? Interlocked.Increment(ref tokenCalls) switch
            {
                1 => MarketplaceFault.Unavailable,
                2 => MarketplaceFault.Hang(TimeSpan.FromSeconds(2.5)),
                _ => null,
            }
            : null;

        var run = await RunAsync();
        Assert.True(Status(run) == "succeeded", run.ToString());
        Assert.Equal(100, Count(run, "inserted"));
        Assert.Equal(2, server.Log.Count(e => e.Request.Path == "/oauth/token"));
        Assert.Equal([MercadoLibreFake.InitialRefreshToken], _meli.PresentedRefreshTokens);
        await AssertCaughtUpAsync();
    }
}
