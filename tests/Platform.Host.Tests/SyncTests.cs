using System.Net;
using System.Text.Json;
using Platform.Abstractions;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>Syncs through the real host process against the sandbox marketplace, compared with the marketplace itself.</summary>
public sealed class SyncTests
{
    private static readonly DateTimeOffset Today = ClosedStores.Today;
    private static readonly DateTimeOffset ClosedSince = Today.AddDays(-55);

    private static Dictionary<string, object> ClosedStore(int pageSize = 25, int? failAtPage = null, int? pageDelayMs = null)
    {
        var settings = new Dictionary<string, object> { ["people"] = 80, ["ordersPerDay"] = 12, ["pageSize"] = pageSize, ["closedOn"] = ClosedStores.ClosedOn };
        if (failAtPage is { } fail) settings["failAtPage"] = fail;
        if (pageDelayMs is { } delay) settings["pageDelayMs"] = delay;
        return settings;
    }

    private static async Task<HashSet<string>> SourceOrderIds(string store) =>
        (await SandboxSource.ReadAllAsync<OrderRecord>(store, ClosedStore(), StreamName.Orders, ClosedSince)).Select(o => o.ExternalId).ToHashSet();

    private static async Task<HashSet<string>> StoredOrderIds(HttpClient client, string merchant, string store) =>
        (await client.GetAllAsync($"/api/v1/merchants/{merchant}/orders?store={store}")).Select(o => o.GetProperty("id").GetString()!).ToHashSet();

    private static int Count(JsonElement run, string name) => run.GetProperty(name).GetInt32();

    [Fact]
    public async Task Backfill_reads_everything_then_a_rerun_with_nothing_new_changes_nothing()
    {
        await using var host = new HostProcess(TestPaths.NewTempDirectory("sync"));
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync("m");
        await api.PutStoreAsync("m", "closed", ClosedStore(), ClosedSince);

        var backfill = Assert.Single(await api.SyncAsync("m", "closed", "orders"));
        var expected = await SourceOrderIds("closed");
        Assert.Equal(expected.Count, Count(backfill, "inserted"));
        Assert.True(Count(backfill, "pages") >= expected.Count / 25);
        Assert.Equal(expected, await StoredOrderIds(api, "m", "closed"));
        var customers = (await api.GetJsonAsync("/api/v1/merchants/m/customers?pageSize=1")).GetProperty("total").GetInt32();

        var again = Assert.Single(await api.SyncAsync("m", "closed", "orders"));
        Assert.Equal((0, 0, 0), (Count(again, "read"), Count(again, "inserted"), Count(again, "updated")));

        // Reading everything again from the start (cursor reset) stores nothing twice and changes nothing.
        var reset = await api.PutJsonAsync("/api/v1/merchants/m/stores/closed/cursors/orders", new { since = ClosedSince });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var reread = Assert.Single(await api.SyncAsync("m", "closed", "orders"));
        Assert.Equal(expected.Count, Count(reread, "read"));
        Assert.Equal(expected.Count, Count(reread, "skipped"));
        Assert.Equal((0, 0), (Count(reread, "inserted"), Count(reread, "updated")));
        Assert.Equal(expected.Count, (await api.GetJsonAsync("/api/v1/merchants/m/orders?pageSize=1")).GetProperty("total").GetInt32());
        Assert.Equal(customers, (await api.GetJsonAsync("/api/v1/merchants/m/customers?pageSize=1")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Incremental_runs_fetch_only_what_changed_since_the_cursor()
    {
        await using var host = new HostProcess(TestPaths.NewTempDirectory("sync"));
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync("m");
        await api.PutStoreAsync("m", "live", new { people = 80, ordersPerDay = 30, pageSize = 50 }, Today.AddDays(-30));

        var backfill = Assert.Single(await api.SyncAsync("m", "live", "orders"));
        Assert.True(Count(backfill, "read") > 500, backfill.ToString());
        var cursor = (await api.GetJsonAsync("/api/v1/merchants/m/stores/live/cursors")).GetProperty("items")[0];
        Assert.Equal("orders", cursor.GetProperty("stream").GetString());
        Assert.Contains("changedAt", cursor.GetProperty("cursor").GetString());

        var incremental = Assert.Single(await api.SyncAsync("m", "live", "orders"));
        Assert.True(Count(incremental, "read") < Count(backfill, "read") / 20, $"incremental read {incremental}");
        Assert.True(Count(incremental, "pages") <= 1);
    }

    [Fact]
    public async Task Concurrent_sync_requests_start_one_run()
    {
        await using var host = new HostProcess(TestPaths.NewTempDirectory("sync"));
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync("m");
        await api.PutStoreAsync("m", "slow", ClosedStore(pageDelayMs: 100), ClosedSince);

        var requests = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.PostAsync("/api/v1/merchants/m/stores/slow/sync?stream=orders", null)));
        var ids = new List<long>();
        foreach (var r in requests)
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            ids.AddRange((await r.ReadJsonAsync()).GetProperty("runs").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
        }
        Assert.Single(ids.Distinct());
        await api.WaitForRunsAsync("m", "slow", [ids[0]]);
        Assert.Equal(1, (await api.GetJsonAsync("/api/v1/merchants/m/stores/slow/runs")).GetProperty("total").GetInt32());
        Assert.Equal(await SourceOrderIds("slow"), await StoredOrderIds(api, "m", "slow"));
    }

    [Fact]
    public async Task A_page_that_fails_fails_the_run_in_words_and_the_next_run_resumes_after_the_last_good_page()
    {
        await using var host = new HostProcess(TestPaths.NewTempDirectory("sync"));
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync("m");
        await api.PutStoreAsync("m", "flaky", ClosedStore(failAtPage: 3), ClosedSince);

        var ids = await api.StartSyncAsync("m", "flaky", "orders");
        var failed = Assert.Single(await api.WaitForRunsAsync("m", "flaky", ids));
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(2, Count(failed, "pages"));
        Assert.Equal(50, Count(failed, "inserted"));
        var error = failed.GetProperty("error").GetString()!;
        Assert.StartsWith("sandbox failed reading orders page 3:", error);
        Assert.Equal(50, (await api.GetJsonAsync("/api/v1/merchants/m/orders?pageSize=1")).GetProperty("total").GetInt32());

        await api.PutStoreAsync("m", "flaky", ClosedStore(), ClosedSince, expected: HttpStatusCode.OK);
        var resumed = Assert.Single(await api.SyncAsync("m", "flaky", "orders"));
        var expected = await SourceOrderIds("flaky");
        Assert.Equal(expected.Count - 50, Count(resumed, "inserted"));
        Assert.Equal(0, Count(resumed, "skipped"));
        Assert.Equal(expected, await StoredOrderIds(api, "m", "flaky"));
    }

    [Fact]
    public async Task A_host_killed_mid_run_loses_nothing_and_duplicates_nothing()
    {
        var data = TestPaths.NewTempDirectory("crash");
        var settings = ClosedStore(pageSize: 10, pageDelayMs: 150);
        await using (var first = new HostProcess(data))
        {
            await first.StartAsync();
            using var api = first.Client();
            await api.CreateMerchantAsync("m");
            await api.PutStoreAsync("m", "crashy", settings, ClosedSince);
            var runId = Assert.Single(await api.StartSyncAsync("m", "crashy", "orders"));
            await Eventually.Until(async () =>
            {
                var runs = await api.GetJsonAsync("/api/v1/merchants/m/stores/crashy/runs");
                return runs.GetProperty("items")[0].GetProperty("pages").GetInt32() >= 3;
            }, TimeSpan.FromSeconds(60));
            await first.KillAsync(); // SIGKILL between pages: no shutdown code runs
            Assert.NotEqual(0, first.ExitCode);
        }

        await using var second = new HostProcess(data);
        await second.StartAsync();
        using var client = second.Client();
        var interrupted = (await client.GetJsonAsync("/api/v1/merchants/m/stores/crashy/runs")).GetProperty("items")[0];
        Assert.Equal("failed", interrupted.GetProperty("status").GetString());
        Assert.Contains("interrupted", interrupted.GetProperty("error").GetString());
        var committed = Count(interrupted, "inserted");
        Assert.True(committed >= 30);

        await client.PutStoreAsync("m", "crashy", ClosedStore(pageSize: 10), ClosedSince, expected: HttpStatusCode.OK);
        var resumed = Assert.Single(await client.SyncAsync("m", "crashy", "orders"));
        var expected = await SourceOrderIds("crashy");
        Assert.Equal(expected.Count - committed, Count(resumed, "inserted"));
        Assert.Equal(expected, await StoredOrderIds(client, "m", "crashy"));

        // Lines, buyers and customers agree with a host that was never interrupted.
        await using var reference = new HostProcess(TestPaths.NewTempDirectory("reference"));
        await reference.StartAsync();
        using var refApi = reference.Client();
        await refApi.CreateMerchantAsync("m");
        await refApi.PutStoreAsync("m", "crashy", ClosedStore(pageSize: 10), ClosedSince);
        await refApi.SyncAsync("m", "crashy", "orders");
        Assert.Equal(await Fingerprint(refApi), await Fingerprint(client));
    }

    /// <summary>Orders with their lines and customers' stats, in a comparable form.</summary>
    private static async Task<string> Fingerprint(HttpClient api)
    {
        var orders = (await api.GetAllAsync("/api/v1/merchants/m/orders")).Select(o =>
            $"{o.GetProperty("id")}|{o.GetProperty("status")}|{o.GetProperty("total")}|{o.GetProperty("lines").GetArrayLength()}").Order();
        var customers = (await api.GetAllAsync("/api/v1/merchants/m/customers")).Select(c =>
            $"{c.GetProperty("orders")}|{c.GetProperty("revenue")}|{c.GetProperty("email")}|{c.GetProperty("phone")}").Order();
        return string.Join("\n", orders.Concat(customers));
    }
}
