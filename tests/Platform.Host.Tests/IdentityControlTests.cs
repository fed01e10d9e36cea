using System.Net;
using System.Text.Json;
using Platform.Abstractions;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Identity resolution a merchant can correct, through the real host: relay contacts, manual split and merge,
/// erasure with tombstones, search, possible duplicates, export, and the bad requests that must change nothing.
/// Each test uses its own merchant on one shared host.
/// </summary>
public sealed class IdentityControlTests(IdentityControlTests.Fixture fixture) : IClassFixture<IdentityControlTests.Fixture>
{
    public sealed class Fixture : HostFixture;

    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-50);
    private static object Settings(string country, string contacts = "real", int people = 60) =>
        new { population = 11, people, ordersPerDay = 10, country, closedOn = ClosedStores.ClosedOn, pageSize = 200, contacts };

    private HttpClient Admin => fixture.Host.Client();

    private static async Task SyncStoresAsync(HttpClient api, string m, params (string Store, object Settings)[] stores)
    {
        await api.CreateMerchantAsync(m);
        foreach (var (store, settings) in stores) await api.PutStoreAsync(m, store, settings, Since);
        foreach (var (store, _) in stores) await api.SyncAsync(m, store, "orders");
    }

    private static async Task<List<JsonElement>> ProfilesAsync(HttpClient api, string m)
    {
        var profiles = new List<JsonElement>();
        foreach (var c in await api.GetAllAsync($"/api/v1/merchants/{m}/customers"))
            profiles.Add(await api.GetJsonAsync($"/api/v1/merchants/{m}/customers/{c.GetProperty("id").GetString()}"));
        return profiles;
    }

    private static string[] StoresOf(JsonElement profile) =>
        profile.GetProperty("stores").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Distinct().ToArray();

    private static JsonElement[] Identities(JsonElement profile, string kind) =>
        profile.GetProperty("identities").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == kind).ToArray();

    [Fact]
    public async Task Relay_contacts_never_link_two_stores()
    {
        using var api = Admin;
        await SyncStoresAsync(api, "relay", ("r1", Settings("SG", "relay")), ("r2", Settings("SG", "relay")));

        // The two stores do show the same relay addresses for the same people...
        var r1 = await SandboxSource.ReadAllAsync<OrderRecord>("r1", Settings("SG", "relay"), StreamName.Orders, Since);
        var r2 = await SandboxSource.ReadAllAsync<OrderRecord>("r2", Settings("SG", "relay"), StreamName.Orders, Since);
        var shared = r1.Select(o => o.Buyer.Email).Intersect(r2.Select(o => o.Buyer.Email)).Where(e => e is not null).ToList();
        Assert.NotEmpty(shared);
        Assert.All(shared, e => Assert.EndsWith("@relay.sandbox.test", e));

        // ...but no customer spans both, and every account is its own customer.
        var profiles = await ProfilesAsync(api, "relay");
        Assert.All(profiles, p => Assert.Single(StoresOf(p)));
        var accounts = r1.Select(o => "r1/" + o.Buyer.BuyerId).Concat(r2.Select(o => "r2/" + o.Buyer.BuyerId)).Distinct().Count();
        Assert.Equal(accounts, profiles.Count);
    }

    [Fact]
    public async Task A_split_stays_split_after_a_full_resync_and_a_manual_merge_joins_again()
    {
        using var api = Admin;
        await SyncStoresAsync(api, "ctl", ("a", Settings("SG")), ("b", Settings("MY")));
        var joined = (await ProfilesAsync(api, "ctl")).First(p => StoresOf(p).Length == 2);
        var id = joined.GetProperty("id").GetString()!;
        var moving = Identities(joined, "buyer").First(i => i.GetProperty("store").GetString() == "b");
        var split = await api.PostJsonAsync($"/api/v1/merchants/ctl/customers/{id}/split", new { identities = new[] { moving } });
        var body = await split.ReadJsonAsync();
        Assert.True(split.StatusCode == HttpStatusCode.OK, body.ToString());
        var created = body.GetProperty("other").GetProperty("id").GetString()!;
        Assert.Equal(["a"], StoresOf(body.GetProperty("customer")));
        Assert.Equal(["b"], StoresOf(body.GetProperty("other")));

        // Read everything again from the beginning: the split is remembered.
        foreach (var store in new[] { "a", "b" })
            Assert.Equal(HttpStatusCode.OK, (await api.PutJsonAsync($"/api/v1/merchants/ctl/stores/{store}/cursors/orders", new { since = Since })).StatusCode);
        foreach (var store in new[] { "a", "b" }) await api.SyncAsync("ctl", store, "orders");
        Assert.Equal(["a"], StoresOf(await api.GetJsonAsync($"/api/v1/merchants/ctl/customers/{id}")));
        Assert.Equal(["b"], StoresOf(await api.GetJsonAsync($"/api/v1/merchants/ctl/customers/{created}")));

        // Joined again by hand: the younger id redirects to the older.
        var merge = await api.PostJsonAsync($"/api/v1/merchants/ctl/customers/{created}/merge", new { other = id });
        Assert.True(merge.StatusCode == HttpStatusCode.OK, (await merge.ReadJsonAsync()).ToString());
        var survivor = await api.GetJsonAsync($"/api/v1/merchants/ctl/customers/{created}");
        Assert.Equal(id, survivor.GetProperty("id").GetString());
        Assert.Equal(created, survivor.GetProperty("requestedId").GetString());
        Assert.Equal(["a", "b"], StoresOf(survivor).Order());
        Assert.Equal(joined.GetProperty("stats").GetProperty("orders").GetInt32(), survivor.GetProperty("stats").GetProperty("orders").GetInt32());
    }

    [Fact]
    public async Task Bad_identity_requests_answer_400_or_404_and_change_nothing()
    {
        using var api = Admin;
        await SyncStoresAsync(api, "bad", ("a", Settings("SG")));
        await SyncStoresAsync(api, "bad2", ("a", Settings("SG")));
        var profiles = await ProfilesAsync(api, "bad");
        var id = profiles[0].GetProperty("id").GetString()!;
        var before = (await api.GetJsonAsync($"/api/v1/merchants/bad/customers/{id}")).ToString();
        var buyer = Identities(profiles[0], "buyer")[0];

        async Task Expect(HttpStatusCode status, string field, HttpResponseMessage response)
        {
            var problem = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == status, problem.ToString());
            Assert.Contains(field, problem.ToString());
        }
        string Url(string action) => $"/api/v1/merchants/bad/customers/{id}/{action}";
        await Expect(HttpStatusCode.BadRequest, "itself", await api.PostJsonAsync(Url("merge"), new { other = id }));
        await Expect(HttpStatusCode.BadRequest, "other", await api.PostJsonAsync(Url("merge"), new { other = "c999999" }));
        await Expect(HttpStatusCode.BadRequest, "other", await api.PostJsonAsync(Url("merge"), new { }));
        await Expect(HttpStatusCode.NotFound, "c999999", await api.PostJsonAsync("/api/v1/merchants/bad/customers/c999999/merge", new { other = id }));
        await Expect(HttpStatusCode.BadRequest, "identities", await api.PostJsonAsync(Url("split"), new { identities = Array.Empty<object>() }));
        await Expect(HttpStatusCode.BadRequest, "identities[0].kind", await api.PostJsonAsync(Url("split"), new { identities = new[] { new { kind = "fax", value = "1", store = "a" } } }));
        await Expect(HttpStatusCode.BadRequest, "identities[0]", await api.PostJsonAsync(Url("split"), new { identities = new[] { new { kind = "buyer", value = "nobody", store = "a" } } }));
        await Expect(HttpStatusCode.BadRequest, "at least one", await api.PostJsonAsync(Url("split"), new { identities = Identities(profiles[0], "buyer") }));
        await Expect(HttpStatusCode.BadRequest, "identities[0].value", await api.PostJsonAsync(Url("split"), new { identities = new[] { new { kind = "buyer", value = new string('x', 5000), store = "a" } } }));
        Assert.Equal(before, (await api.GetJsonAsync($"/api/v1/merchants/bad/customers/{id}")).ToString());
        Assert.NotNull(buyer.GetProperty("value").GetString());

        // Another merchant's customer is not a customer here, and its key sees none of this merchant.
        var key = (await (await api.PostAsync("/api/v1/merchants/bad2/keys", null)).ReadJsonAsync()).GetProperty("key").GetString();
        using var other = fixture.Host.Client(key);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/merchants/bad/customers/{id}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostJsonAsync($"/api/v1/merchants/bad/customers/{id}/merge", new { other = id })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/merchants/bad/customers/{id}")).StatusCode);
        Assert.Equal(before, (await api.GetJsonAsync($"/api/v1/merchants/bad/customers/{id}")).ToString());
    }

    [Fact]
    public async Task An_erased_person_is_exported_first_then_gone_and_a_resync_from_the_beginning_does_not_bring_them_back()
    {
        using var api = Admin;
        await SyncStoresAsync(api, "erase", ("a", Settings("SG")), ("b", Settings("MY")));
        var customersBefore = (await api.GetJsonAsync("/api/v1/merchants/erase/customers?pageSize=1")).GetProperty("total").GetInt32();
        var ordersBefore = (await api.GetJsonAsync("/api/v1/merchants/erase/orders?pageSize=1")).GetProperty("total").GetInt32();
        var person = (await ProfilesAsync(api, "erase")).First(p => StoresOf(p).Length == 2);
        var id = person.GetProperty("id").GetString()!;
        var orders = person.GetProperty("stats").GetProperty("orders").GetInt32();

        var export = await api.GetJsonAsync($"/api/v1/merchants/erase/customers/{id}/export");
        Assert.Equal(id, export.GetProperty("profile").GetProperty("id").GetString());
        Assert.Equal(2, export.GetProperty("accounts").GetArrayLength());
        Assert.True(export.GetProperty("orders").GetArrayLength() >= orders);
        Assert.True(export.GetProperty("rawRecords").GetArrayLength() >= export.GetProperty("orders").GetArrayLength());

        var erased = await api.DeleteAsync($"/api/v1/merchants/erase/customers/{id}");
        var report = await erased.ReadJsonAsync();
        Assert.True(erased.StatusCode == HttpStatusCode.OK, report.ToString());
        var deleted = report.GetProperty("deleted");
        Assert.Equal(export.GetProperty("orders").GetArrayLength(), deleted.GetProperty("orders").GetInt32());
        Assert.Equal(2, deleted.GetProperty("accounts").GetInt32());
        Assert.True(deleted.GetProperty("tombstones").GetInt32() >= 2);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/merchants/erase/customers/{id}")).StatusCode);

        foreach (var store in new[] { "a", "b" })
        {
            await api.PutJsonAsync($"/api/v1/merchants/erase/stores/{store}/cursors/orders", new { since = Since });
            await api.SyncAsync("erase", store, "orders");
        }
        Assert.Equal(customersBefore - 1, (await api.GetJsonAsync("/api/v1/merchants/erase/customers?pageSize=1")).GetProperty("total").GetInt32());
        Assert.Equal(ordersBefore - deleted.GetProperty("orders").GetInt32(), (await api.GetJsonAsync("/api/v1/merchants/erase/orders?pageSize=1")).GetProperty("total").GetInt32());
        var email = Identities(person, "email").Select(e => e.GetProperty("value").GetString()).FirstOrDefault();
        if (email is not null)
            Assert.Equal(0, (await api.GetJsonAsync($"/api/v1/merchants/erase/customers?q={Uri.EscapeDataString(email)}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Search_finds_a_partial_name_without_accents_an_email_in_any_case_a_phone_in_any_format_and_a_buyer_id()
    {
        using var api = Admin;
        await SyncStoresAsync(api, "find", ("a", Settings("SG", people: 300)));
        var profiles = await ProfilesAsync(api, "find");
        async Task<string[]> Search(string q) => (await api.GetAllAsync($"/api/v1/merchants/find/customers?q={Uri.EscapeDataString(q)}"))
            .Select(c => c.GetProperty("id").GetString()!).ToArray();

        var withPhone = profiles.First(p => Identities(p, "phone").Length > 0 && Identities(p, "email").Length > 0);
        var id = withPhone.GetProperty("id").GetString()!;
        var email = Identities(withPhone, "email")[0].GetProperty("value").GetString()!;
        var phone = Identities(withPhone, "phone")[0].GetProperty("value").GetString()!; // E.164
        Assert.Contains(id, await Search(email.ToUpperInvariant()));
        Assert.Contains(id, await Search($"{phone[..3]} {phone[3..7]}-{phone[7..]}"));
        Assert.Contains(id, await Search(phone[^8..]));
        Assert.Contains(id, await Search(Identities(withPhone, "buyer")[0].GetProperty("value").GetString()!));
        var name = withPhone.GetProperty("name").GetString()!;
        var part = name.Split(' ')[^1];
        var found = await Search(part[..Math.Min(4, part.Length)].ToUpperInvariant());
        Assert.Contains(id, found);
        Assert.All(found.Take(20), f => Assert.Contains(part[..Math.Min(4, part.Length)].ToLowerInvariant(),
            profiles.First(p => p.GetProperty("id").GetString() == f).GetProperty("name").GetString()!.ToLowerInvariant()));

        // Accents: any accented name is found by its plain-letter spelling.
        var accented = profiles.Select(p => p.GetProperty("name").GetString()).FirstOrDefault(n => n is not null && n.Any(ch => ch > 'ÿ' || "àáâãäèéêëìíîïòóôõöùúûüýñç".Contains(char.ToLowerInvariant(ch))));
        if (accented is not null)
            Assert.NotEmpty(await Search(Platform.Crm.Text.TextFold.Fold(accented)));
        Assert.Empty(await Search("zzqqxx-nobody"));

        // Chinese names are often two characters, too short for trigrams: found all the same, whole or by one character.
        var chinese = profiles.FirstOrDefault(p => p.GetProperty("name").GetString() is { Length: 2 or 3 } n && n.All(ch => ch is >= '\u4e00' and <= '\u9fff'));
        Assert.True(chinese.ValueKind == System.Text.Json.JsonValueKind.Object, "the sandbox's Singapore population should hold a Chinese name");
        var hanzi = chinese.GetProperty("name").GetString()!;
        Assert.Contains(chinese.GetProperty("id").GetString()!, await Search(hanzi[..2]));
        Assert.Contains(chinese.GetProperty("id").GetString()!, await Search(hanzi[^1..]));
    }

    [Fact]
    public async Task A_search_with_many_hits_pages_exactly_like_one_with_few()
    {
        using var api = Admin;
        await api.CreateMerchantAsync("many");
        await api.PutStoreAsync("many", "a", new { population = 12, people = 900, ordersPerDay = 160, country = "SG", closedOn = ClosedStores.ClosedOn, pageSize = 500 }, Since);
        await api.SyncAsync("many", "a", "orders");
        await api.WaitForProfilesAsync("many");

        // "com" is in nearly every email: over 200 hits, so the page walks the sort's index ("a" the same, by LIKE); the store filter (every
        // customer has an account in store a) takes the other plan, which sorts the hits. Both must agree.
        foreach (var (q, sort) in new[] { ("com", "lastOrder"), ("com", "created"), ("com", "revenue"), ("a", "lastOrder") })
        {
            var walked = await api.GetJsonAsync($"/api/v1/merchants/many/customers?q={q}&sort={sort}&pageSize=40&page=2");
            var sorted = await api.GetJsonAsync($"/api/v1/merchants/many/customers?q={q}&sort={sort}&pageSize=40&page=2&store=a");
            Assert.True(walked.GetProperty("total").GetInt32() > 200, $"only {walked.GetProperty("total")} hits for {q}");
            Assert.Equal(sorted.GetProperty("total").GetInt32(), walked.GetProperty("total").GetInt32());
            Assert.Equal(sorted.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()),
                walked.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        }
    }

    [Fact]
    public async Task A_search_counts_and_finds_only_the_merchants_own_customers_when_another_merchant_has_the_same_people()
    {
        using var api = Admin;
        // One population in both merchants: the same names and emails, and customer ids c1, c2, … in each. The bigger
        // one has over 200 hits for "com" (the page walks the sort's index), the smaller fewer (the hits are sorted).
        foreach (var (m, people) in new[] { ("twin-a", 500), ("twin-b", 90) })
        {
            await api.CreateMerchantAsync(m);
            await api.PutStoreAsync(m, "a", new { population = 13, people, ordersPerDay = 60, country = "SG", closedOn = ClosedStores.ClosedOn, pageSize = 500 }, Since);
            await api.SyncAsync(m, "a", "orders");
        }
        foreach (var (m, _) in new[] { ("twin-a", 0), ("twin-b", 0) })
        {
            await api.WaitForProfilesAsync(m);
            var all = await api.GetAllAsync($"/api/v1/merchants/{m}/customers");
            var name = all.Select(c => c.GetProperty("name").GetString()).First(n => n is { Length: >= 5 } && n[..3].All(char.IsAsciiLetter))!;
            foreach (var q in new[] { name[..3].ToLowerInvariant(), "com" })
            {
                bool Has(JsonElement c, string field) => c.GetProperty(field).GetString()?.Contains(q, StringComparison.OrdinalIgnoreCase) == true;
                var expected = all.Where(c => Has(c, "name") || Has(c, "email")).Select(c => c.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ToList();
                Assert.NotEmpty(expected);
                var found = await api.GetAllAsync($"/api/v1/merchants/{m}/customers?q={q}");
                Assert.Equal(expected, found.Select(c => c.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ToList());
                var first = await api.GetJsonAsync($"/api/v1/merchants/{m}/customers?q={q}&pageSize=20");
                Assert.Equal(expected.Count, first.GetProperty("total").GetInt32());
                // The first page is the first 20 of the merchant's customers by last order, among the hits.
                var byLastOrder = all.Where(c => expected.Contains(c.GetProperty("id").GetString())).Take(20).Select(c => c.GetProperty("id").GetString());
                Assert.Equal(byLastOrder, first.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
            }
        }
    }

    [Fact]
    public async Task Possible_duplicates_are_people_of_the_same_name_and_city_with_nothing_shared_and_stay_apart()
    {
        using var api = Admin;
        await SyncStoresAsync(api, "dup", ("a", Settings("SG", people: 600)));
        var profiles = await ProfilesAsync(api, "dup");
        // Pairs of customers whose accounts show the same name and city (the sandbox draws names from small tables).
        var byNameCity = profiles.GroupBy(p => (p.GetProperty("name").GetString()?.ToLowerInvariant(),
            p.GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("city").GetString()?.ToLowerInvariant()).FirstOrDefault()))
            .Where(g => g.Key.Item1 is not null && g.Key.Item2 is not null && g.Count() > 1).ToList();
        Assert.NotEmpty(byNameCity);
        foreach (var group in byNameCity.Take(5))
        {
            var ids = group.Select(p => p.GetProperty("id").GetString()!).ToList();
            var similar = await api.GetJsonAsync($"/api/v1/merchants/dup/customers/{ids[0]}/similar");
            var listed = similar.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
            Assert.All(ids.Skip(1), other => Assert.Contains(other, listed));
            Assert.All(similar.EnumerateArray(), s => Assert.Contains("same name", s.GetProperty("reason").GetString()));
        }
        Assert.Equal(profiles.Count, (await api.GetJsonAsync("/api/v1/merchants/dup/customers?pageSize=1")).GetProperty("total").GetInt32());
    }
}
