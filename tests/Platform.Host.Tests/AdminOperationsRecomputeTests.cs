using System.Net;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Re-running identity resolution and scoring for a merchant through the real host: after the operator stops treating
/// every contact as a relay, a rebuild links the same people across stores, keeping what was merged, split and erased by hand.
/// </summary>
public sealed class AdminOperationsRecomputeTests : IAsyncLifetime
{
    private const string M = "rb";
    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-50);
    private static readonly Dictionary<string, string> EveryContactIsARelay = new()
    {
        ["Platform:Identity:RelayEmailPatterns:0"] = ".*",
        ["Platform:Identity:RelayPhonePatterns:0"] = ".*",
    };
    private readonly string _data = TestPaths.NewTempDirectory(nameof(AdminOperationsRecomputeTests));
    private HostProcess _host = null!;

    private static object Settings(string country) =>
        new { population = 11, people = 40, ordersPerDay = 8, country, closedOn = ClosedStores.ClosedOn, pageSize = 200 };

    public async Task InitializeAsync()
    {
        _host = new HostProcess(_data, EveryContactIsARelay);
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private static async Task<List<JsonElement>> ProfilesAsync(HttpClient api)
    {
        var profiles = new List<JsonElement>();
        foreach (var c in await api.GetAllAsync($"/api/v1/merchants/{M}/customers"))
            profiles.Add(await api.GetJsonAsync($"/api/v1/merchants/{M}/customers/{c.GetProperty("id").GetString()}"));
        return profiles;
    }

    private static string[] StoresOf(JsonElement profile) =>
        [.. profile.GetProperty("stores").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Distinct().Order()];

    private static string[] BuyersOf(JsonElement profile) =>
        [.. profile.GetProperty("identities").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "buyer")
            .Select(i => i.GetProperty("store").GetString() + "/" + i.GetProperty("value").GetString())];

    private static async Task<JsonElement> RebuildAsync(HttpClient api)
    {
        var response = await api.PostAsync($"/api/v1/merchants/{M}/identity/rebuild", null);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    [Fact]
    public async Task A_rebuild_links_across_stores_keeping_manual_merges_splits_and_erasures_and_recompute_rescores_everyone()
    {
        string x, y, erased;
        string[] xBuyers, yBuyers, erasedBuyers;
        int before;
        using (var api = _host.Client())
        {
            await api.CreateMerchantAsync(M);
            await api.PutStoreAsync(M, "a", Settings("SG"), Since);
            await api.PutStoreAsync(M, "b", Settings("MY"), Since);
            await api.SyncAsync(M, "a", "orders");
            await api.SyncAsync(M, "b", "orders");
            var profiles = await ProfilesAsync(api);
            Assert.All(profiles, p => Assert.Single(StoresOf(p)));
            before = profiles.Count;

            // By hand: two different people of store a merged, one person of store a erased.
            var inA = profiles.Where(p => StoresOf(p) is ["a"]).ToList();
            (x, y, erased) = (inA[0].GetProperty("id").GetString()!, inA[1].GetProperty("id").GetString()!, inA[2].GetProperty("id").GetString()!);
            (xBuyers, yBuyers, erasedBuyers) = (BuyersOf(inA[0]), BuyersOf(inA[1]), BuyersOf(inA[2]));
            var merge = await api.PostJsonAsync($"/api/v1/merchants/{M}/customers/{y}/merge", new { other = x });
            Assert.True(merge.StatusCode == HttpStatusCode.OK, (await merge.ReadJsonAsync()).ToString());
            Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/api/v1/merchants/{M}/customers/{erased}")).StatusCode);
        }

        // The operator lifts the relay rule: accounts already resolved stay as they were until a rebuild.
        await _host.DisposeAsync();
        _host = new HostProcess(_data);
        await _host.StartAsync();
        using var admin = _host.Client();
        Assert.All(await ProfilesAsync(admin), p => Assert.Single(StoresOf(p)));

        var rebuilt = await RebuildAsync(admin);
        Assert.True(rebuilt.GetProperty("enabled").GetBoolean());
        Assert.True(rebuilt.GetProperty("merges").GetInt32() > 0, rebuilt.ToString());
        Assert.True(rebuilt.GetProperty("accountsReassigned").GetInt32() > 0, rebuilt.ToString());
        var after = await ProfilesAsync(admin);
        Assert.Equal(before - 2 - rebuilt.GetProperty("merges").GetInt32(), after.Count);
        Assert.Contains(after, p => StoresOf(p) is ["a", "b"]);
        Assert.Equal(rebuilt.GetProperty("customersRecomputed").GetInt32(), after.Count);

        // The manual merge holds: both ids answer with one customer holding both people's accounts.
        var merged = await admin.GetJsonAsync($"/api/v1/merchants/{M}/customers/{y}");
        Assert.Equal(merged.GetProperty("id").GetString(), (await admin.GetJsonAsync($"/api/v1/merchants/{M}/customers/{x}")).GetProperty("id").GetString());
        Assert.Superset(xBuyers.Concat(yBuyers).ToHashSet(), BuyersOf(merged).ToHashSet());
        // The erased person stays erased.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/merchants/{M}/customers/{erased}")).StatusCode);
        Assert.DoesNotContain(after, p => BuyersOf(p).Intersect(erasedBuyers).Any());

        // A split survives a rebuild.
        var joined = after.First(p => StoresOf(p) is ["a", "b"] && p.GetProperty("id").GetString() != merged.GetProperty("id").GetString());
        var joinedId = joined.GetProperty("id").GetString()!;
        var moving = joined.GetProperty("identities").EnumerateArray().First(i => i.GetProperty("kind").GetString() == "buyer" && i.GetProperty("store").GetString() == "b");
        var split = await admin.PostJsonAsync($"/api/v1/merchants/{M}/customers/{joinedId}/split", new { identities = new[] { moving } });
        var splitBody = await split.ReadJsonAsync();
        Assert.True(split.StatusCode == HttpStatusCode.OK, splitBody.ToString());
        var splitOff = splitBody.GetProperty("other").GetProperty("id").GetString()!;
        var again = await RebuildAsync(admin);
        Assert.Equal(0, again.GetProperty("merges").GetInt32());
        Assert.Equal(0, again.GetProperty("accountsReassigned").GetInt32());
        Assert.Equal(["a"], StoresOf(await admin.GetJsonAsync($"/api/v1/merchants/{M}/customers/{joinedId}")));
        Assert.Equal(["b"], StoresOf(await admin.GetJsonAsync($"/api/v1/merchants/{M}/customers/{splitOff}")));

        // The merchant-level re-run: identity, fit and full scoring in the background, followed at GET /recompute.
        await admin.CreateMerchantAsync("rb-other");
        var otherKey = (await (await admin.PostAsync("/api/v1/merchants/rb-other/keys", null)).ReadJsonAsync()).GetProperty("key").GetString();
        var ownKey = (await (await admin.PostAsync($"/api/v1/merchants/{M}/keys", null)).ReadJsonAsync()).GetProperty("key").GetString();
        using (var other = _host.Client(otherKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/merchants/{M}/recompute", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/merchants/{M}/identity/rebuild", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/merchants/rb-other/recompute")).StatusCode); // none run yet
        }
        var unknown = await admin.PostAsync("/api/v1/merchants/nobody/recompute", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nobody", (await unknown.ReadJsonAsync()).GetProperty("detail").GetString());

        using var own = _host.Client(ownKey);
        var started = await own.PostJsonAsync($"/api/v1/merchants/{M}/recompute", new { review = false });
        var run = await started.ReadJsonAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, run.ToString());
        Assert.Equal($"/api/v1/merchants/{M}/recompute", started.Headers.Location?.OriginalString);
        var runId = run.GetProperty("id").GetString();
        JsonElement status = default;
        await Eventually.Until(async () =>
        {
            status = await own.GetJsonAsync($"/api/v1/merchants/{M}/recompute");
            return status.GetProperty("status").GetString() != "running";
        }, TimeSpan.FromSeconds(120), () => $"the re-run did not finish: {status}");
        Assert.True(status.GetProperty("status").GetString() == "succeeded", status.ToString());
        Assert.Equal(runId, status.GetProperty("id").GetString());
        Assert.Equal("done", status.GetProperty("step").GetString());
        Assert.Equal(after.Count + 1, status.GetProperty("identity").GetProperty("customersRecomputed").GetInt32()); // the split made one more
        Assert.Equal(JsonValueKind.Object, status.GetProperty("model").ValueKind);
        var customers = (await own.GetJsonAsync($"/api/v1/merchants/{M}/customers")).GetProperty("total").GetInt32();
        Assert.Equal(customers, status.GetProperty("scoring").GetProperty("customers").GetInt32());
        Assert.True(status.GetProperty("scoring").GetProperty("full").GetBoolean());
        Assert.Equal(customers, (await own.GetJsonAsync($"/api/v1/merchants/{M}/insights/scores")).GetProperty("customers").GetInt32());
    }
}
