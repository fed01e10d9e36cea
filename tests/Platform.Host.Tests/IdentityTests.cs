using System.Net;
using Platform.Abstractions;
using Platform.Crm.Identity;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>Cross-store unification through the real host, independent of the order stores sync in.</summary>
public sealed class IdentityTests
{
    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-50);
    private static readonly string ClosedOn = ClosedStores.ClosedOn;
    private static readonly (string Store, string Country)[] Stores = [("sg", "SG"), ("my", "MY"), ("us", "US")];

    private static object Settings(string country) => new { population = 7, people = 60, ordersPerDay = 10, country, closedOn = ClosedOn, pageSize = 200 };

    /// <summary>Each buyer account (store/buyerId) → the set of accounts it shares a customer with.</summary>
    private static async Task<HashSet<string>> PartitionAsync(HostProcess host, IEnumerable<string> order)
    {
        using var api = host.Client();
        await api.CreateMerchantAsync("m");
        foreach (var (store, country) in Stores)
            await api.PutStoreAsync("m", store, Settings(country), Since);
        foreach (var store in order)
            await api.SyncAsync("m", store, "orders");

        var groups = new HashSet<string>();
        foreach (var c in await api.GetAllAsync("/api/v1/merchants/m/customers"))
        {
            var profile = await api.GetJsonAsync($"/api/v1/merchants/m/customers/{c.GetProperty("id").GetString()}");
            groups.Add(string.Join(",", profile.GetProperty("identities").EnumerateArray()
                .Where(i => i.GetProperty("kind").GetString() == "buyer")
                .Select(i => $"{i.GetProperty("store").GetString()}/{i.GetProperty("value").GetString()}").Order()));
        }
        return groups;
    }

    [Fact]
    public async Task The_same_people_across_three_stores_end_as_the_same_customers_whatever_order_the_stores_sync_in()
    {
        await using var forward = new HostProcess(TestPaths.NewTempDirectory("identity-a"));
        await using var backward = new HostProcess(TestPaths.NewTempDirectory("identity-b"));
        await Task.WhenAll(forward.StartAsync(), backward.StartAsync());
        var results = await Task.WhenAll(PartitionAsync(forward, ["sg", "my", "us"]), PartitionAsync(backward, ["us", "sg", "my"]));

        Assert.Equal(results[0].Order(), results[1].Order());
        // Someone is known in all three stores as one customer.
        Assert.Contains(results[0], g => g.Split(',').Select(a => a.Split('/')[0]).Distinct().Count() == 3);
        // And the grouping is exactly the connected components of shared emails and phones in the source data.
        Assert.Equal(await ExpectedPartitionAsync(), results[0].Order());
    }

    /// <summary>The expected grouping, computed from the marketplace's own records with a plain union-find.</summary>
    private static async Task<IEnumerable<string>> ExpectedPartitionAsync()
    {
        var parent = new Dictionary<string, string>();
        string Find(string x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        void Union(string a, string b) { var (ra, rb) = (Find(a), Find(b)); if (ra != rb) parent[ra] = rb; }
        var accounts = new HashSet<string>();
        foreach (var (store, country) in Stores)
            foreach (var o in await SandboxSource.ReadAllAsync<OrderRecord>(store, Settings(country), StreamName.Orders, Since))
            {
                var account = $"{store}/{o.Buyer.BuyerId}";
                accounts.Add(account);
                parent.TryAdd(account, account);
                foreach (var key in new[] { IdentifierNormalizer.NormalizeEmail(o.Buyer.Email) is { } e ? "email:" + e : null,
                                            IdentifierNormalizer.NormalizePhone(o.Buyer.Phone, o.Buyer.Country ?? country) is { } p ? "phone:" + p : null })
                {
                    if (key is null) continue;
                    parent.TryAdd(key, key);
                    Union(account, key);
                }
            }
        return accounts.GroupBy(Find).Select(g => string.Join(",", g.Order())).Order();
    }

    [Fact]
    public async Task A_profile_and_timeline_bring_every_store_together()
    {
        await using var host = new HostProcess(TestPaths.NewTempDirectory("profile"));
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync("m", "USD");
        foreach (var (store, country) in Stores)
        {
            await api.PutStoreAsync("m", store, Settings(country), Since);
            await api.SyncAsync("m", store);
        }

        var customers = await api.GetAllAsync("/api/v1/merchants/m/customers?sort=orders");
        var multi = customers.First(c => c.GetProperty("stores").GetArrayLength() >= 2);
        var id = multi.GetProperty("id").GetString()!;
        var profile = await api.GetJsonAsync($"/api/v1/merchants/m/customers/{id}");
        var stores = profile.GetProperty("stores").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Distinct().ToList();
        Assert.True(stores.Count >= 2);
        Assert.Equal(multi.GetProperty("orders").GetInt32(), profile.GetProperty("stats").GetProperty("orders").GetInt32());
        Assert.Equal("USD", profile.GetProperty("stats").GetProperty("currency").GetString());

        var timeline = await api.GetAllAsync($"/api/v1/merchants/m/customers/{id}/timeline");
        Assert.True(timeline.Where(i => i.GetProperty("type").GetString() == "order").Select(i => i.GetProperty("store").GetString()).Distinct().Count() >= 2);
        var times = timeline.Select(i => i.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);

        // The orders list filtered by customer agrees with the profile.
        var orders = await api.GetJsonAsync($"/api/v1/merchants/m/orders?customer={id}&pageSize=1");
        Assert.Equal(timeline.Count(i => i.GetProperty("type").GetString() == "order"), orders.GetProperty("total").GetInt32());
        foreach (var (list, type) in new[] { ("reviews", "review"), ("messages", "message") })
        {
            var all = await api.GetAllAsync($"/api/v1/merchants/m/{list}?customer={id}");
            Assert.Equal(timeline.Count(i => i.GetProperty("type").GetString() == type), all.Count);
            Assert.All(all, r => Assert.Equal(id, r.GetProperty("customer").GetString()));
        }
        var storeReviews = await api.GetJsonAsync("/api/v1/merchants/m/reviews?store=sg&pageSize=500");
        Assert.True(storeReviews.GetProperty("total").GetInt32() > 0);
        Assert.All(storeReviews.GetProperty("items").EnumerateArray(), r => Assert.Equal("sg", r.GetProperty("store").GetString()));
        var early = await api.GetJsonAsync($"/api/v1/merchants/m/messages?to={Uri.EscapeDataString(Since.AddDays(3).ToString("O"))}&pageSize=500");
        Assert.All(early.GetProperty("items").EnumerateArray(), x => Assert.True(x.GetProperty("sentAt").GetDateTimeOffset() < Since.AddDays(3)));

        // Search finds the customer by email, by phone in another format and by buyer id.
        var identities = profile.GetProperty("identities").EnumerateArray().ToList();
        foreach (var identity in identities.Where(i => i.GetProperty("kind").GetString() is "email" or "buyer").Take(2))
        {
            var found = await api.GetJsonAsync($"/api/v1/merchants/m/customers?q={Uri.EscapeDataString(identity.GetProperty("value").GetString()!)}");
            Assert.Contains(found.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        }
        if (identities.FirstOrDefault(i => i.GetProperty("kind").GetString() == "phone") is { ValueKind: not System.Text.Json.JsonValueKind.Undefined } phone)
        {
            var e164 = phone.GetProperty("value").GetString()!;
            var spaced = $"{e164[..3]} {e164[3..7]} {e164[7..]}";
            var found = await api.GetJsonAsync($"/api/v1/merchants/m/customers?q={Uri.EscapeDataString(spaced)}");
            Assert.Contains(found.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/merchants/m/customers/c999999")).StatusCode);
    }
}
