using System.Net;
using System.Text;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Tenant isolation over every route the host publishes in its OpenAPI document (<c>/openapi/v1.json</c>): two
/// merchants with a synced sandbox store each; merchant A's key is used against every operation of merchant B (with
/// B's real store, customer, case and conversation ids), against its own merchant with B's ids, and without a key.
/// A route added later is enumerated too, so it fails here unless it keeps tenants apart. Routes outside
/// <c>/api/v1/merchants/{m}</c> must be listed in <see cref="NotUnderAMerchant"/>.
/// </summary>
public sealed class TenantIsolationTests(TenantIsolationTests.Fixture fixture) : IClassFixture<TenantIsolationTests.Fixture>
{
    private const string A = "tenant-a";
    private const string B = "tenant-b";
    private const string StoreA = "a-shop";
    private const string StoreB = "b-only-shop-7q";

    /// <summary>Routes not under a merchant, each with who may call it: "anonymous", "any key" or "admin".</summary>
    private static readonly Dictionary<string, string> NotUnderAMerchant = new(StringComparer.Ordinal)
    {
        ["GET /health/live"] = "anonymous",
        ["GET /health/ready"] = "anonymous",
        ["GET /api/v1/me"] = "any key",
        ["GET /api/v1/plugins"] = "any key",
        ["GET /api/v1/merchants"] = "admin",
        ["POST /api/v1/merchants"] = "admin",
        ["GET /api/v1/admin/data-protection/keys"] = "admin",
        ["POST /api/v1/admin/data-protection/rotate"] = "admin",
    };

    /// <summary>Routes under a merchant that only the admin may call, even for the key's own merchant.</summary>
    private static readonly HashSet<string> AdminOnlyUnderAMerchant = new(StringComparer.Ordinal)
    {
        "POST /api/v1/merchants/{m}/keys",
        "POST /api/v1/merchants/{m}/keys/{id}/rotate",
    };

    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["Platform:Service:SweepCron"] = "0 0 0 1 1 ? 2099" };

        public string KeyA { get; private set; } = "";
        public World WorldA { get; private set; } = null!;
        public World WorldB { get; private set; } = null!;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private bool _ready;

        public async Task PrepareAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_ready) return;
                using var admin = Host.Client();
                var since = ClosedStores.Today.AddDays(-120);
                // B has more people than A, so some of B's customer ids (c1, c2, …) do not exist in A.
                foreach (var (m, store, population, people) in new[] { (A, StoreA, 41, 40), (B, StoreB, 42, 90) })
                {
                    await admin.CreateMerchantAsync(m, "SGD");
                    await admin.PutStoreAsync(m, store, new { population, people, ordersPerDay = 8, country = "SG", currency = "SGD", closedOn = ClosedStores.ClosedOn }, since);
                    await admin.SyncAsync(m, store);
                }
                var key = await admin.PostJsonAsync($"/api/v1/merchants/{A}/keys", new { });
                Assert.Equal(HttpStatusCode.Created, key.StatusCode);
                KeyA = (await key.ReadJsonAsync()).GetProperty("key").GetString()!;
                WorldA = await World.ReadAsync(admin, A, StoreA);
                WorldB = await World.ReadAsync(admin, B, StoreB);
                // Aim at B's customers whose ids A does not have: an id A has too is A's own customer.
                WorldB = WorldB with { CustomerIds = WorldB.CustomerIds.Except(WorldA.CustomerIds).ToList() };
                Assert.NotEmpty(WorldB.CustomerIds);
                Assert.NotEmpty(WorldB.CaseIds);
                Assert.NotEmpty(WorldB.Conversations);
                _ready = true;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>One merchant's objects as the admin sees them: ids to aim at and the personal data that must not leak.</summary>
    public sealed record World(string Merchant, string Store, List<string> CustomerIds, List<string> Emails, List<string> Names, List<long> CaseIds,
        List<(string Store, string Id)> Conversations, int Orders, string Fingerprint)
    {
        public static async Task<World> ReadAsync(HttpClient admin, string m, string store)
        {
            var customers = await admin.GetAllAsync($"/api/v1/merchants/{m}/customers");
            var emails = new List<string>();
            foreach (var c in customers.Take(40))
            {
                var profile = await admin.GetJsonAsync($"/api/v1/merchants/{m}/customers/{c.GetProperty("id").GetString()}");
                emails.AddRange(profile.GetProperty("identities").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "email")
                    .Select(i => i.GetProperty("value").GetString()!));
            }
            var names = customers.Select(c => c.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "")
                .Where(n => n.Length >= 5).ToList();
            var cases = await admin.GetAllAsync($"/api/v1/merchants/{m}/cases");
            var conversations = await admin.GetAllAsync($"/api/v1/merchants/{m}/conversations");
            var orders = (await admin.GetJsonAsync($"/api/v1/merchants/{m}/orders?pageSize=1")).GetProperty("total").GetInt32();
            return new World(m, store, customers.Select(c => c.GetProperty("id").GetString()!).ToList(), emails, names,
                cases.Select(c => c.GetProperty("id").GetInt64()).ToList(),
                conversations.Select(c => (c.GetProperty("store").GetString()!, c.GetProperty("id").GetString()!)).ToList(), orders,
                await FingerprintAsync(admin, m, store));
        }

        /// <summary>What must not change in B whatever A sends: its store, customers, cases and orders.</summary>
        public static async Task<string> FingerprintAsync(HttpClient admin, string m, string store)
        {
            var s = await admin.GetJsonAsync($"/api/v1/merchants/{m}/stores/{store}");
            var customers = (await admin.GetAllAsync($"/api/v1/merchants/{m}/customers")).Select(c => c.GetProperty("id").GetString()).Order();
            var cases = (await admin.GetAllAsync($"/api/v1/merchants/{m}/cases")).Select(c => $"{c.GetProperty("id")}:{c.GetProperty("status")}:{c.GetProperty("assignee")}").Order();
            var orders = (await admin.GetJsonAsync($"/api/v1/merchants/{m}/orders?pageSize=1")).GetProperty("total").GetInt32();
            return $"{s.GetProperty("enabled")}|{s.GetProperty("settings")}|{string.Join(",", customers)}|{string.Join(",", cases)}|{orders}";
        }
    }

    private sealed record Operation(string Method, string Path, IReadOnlyList<string> QueryParameters, bool HasBody)
    {
        public string Name => $"{Method} {Path}";
        public bool UnderMerchant => Path.StartsWith("/api/v1/merchants/{m}", StringComparison.Ordinal);
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        using var anonymous = fixture.Host.Client(null);
        var doc = await anonymous.GetJsonAsync("/openapi/v1.json");
        var operations = new List<Operation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
            {
                if (op.Name is "parameters" or "summary" or "description" or "servers") continue;
                var query = op.Value.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];
                operations.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, query, op.Value.TryGetProperty("requestBody", out _)));
            }
        Assert.True(operations.Count(o => o.UnderMerchant) >= 30, $"only {operations.Count} operations in the OpenAPI document: {string.Join(", ", operations.Select(o => o.Name))}");
        return operations;
    }

    /// <summary>The path with its parameters filled from <paramref name="world"/> (a real id of that merchant's objects where there is one).</summary>
    private static string Fill(Operation op, string merchant, World world, bool withQuery)
    {
        var conversation = world.Conversations[0];
        var segments = op.Path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{')) continue;
            var name = segments[i].Trim('{', '}');
            var parent = i > 0 ? segments[i - 1] : "";
            segments[i] = name switch
            {
                "m" => merchant,
                "store" when parent == "conversations" => conversation.Store,
                "store" => world.Store,
                "stream" => "orders",
                "id" when parent == "customers" => world.CustomerIds[0],
                "id" when parent == "cases" => world.CaseIds[0].ToString(),
                "id" when segments[i - 2] == "conversations" => conversation.Id,
                _ => "dummy-" + name,
            };
        }
        var url = string.Join('/', segments.Select(s => s.StartsWith("dummy-") ? s : Uri.EscapeDataString(s)));
        if (!withQuery) return url;
        var query = op.QueryParameters.Select(q => q switch
        {
            "store" => $"store={Uri.EscapeDataString(world.Store)}",
            "customer" => $"customer={Uri.EscapeDataString(world.CustomerIds[0])}",
            "q" => $"q={Uri.EscapeDataString(world.Emails.FirstOrDefault() ?? world.CustomerIds[0])}",
            _ => null,
        }).Where(q => q is not null).ToList();
        return query.Count == 0 ? url : url + "?" + string.Join('&', query);
    }

    /// <summary>A body for every POST/PUT/PATCH, naming the other merchant's objects wherever a field takes one.</summary>
    private static HttpContent Body(World world) => new StringContent(BodyText(world), Encoding.UTF8, "application/json");

    private static string BodyText(World world) => JsonSerializer.Serialize(new
    {
        other = world.CustomerIds.Last(),
        identities = world.Emails.Take(1).Select(e => new { kind = "email", value = e, store = world.Store }),
        since = "2026-01-01T00:00:00Z",
        points = 5,
        reason = "isolation test",
        note = "isolation test",
        review = false,
    });

    private static async Task<(HttpStatusCode Status, string Body)> CallAsync(HttpClient client, Operation op, string url, World bodyFrom)
    {
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), url);
        if (op.Method is "POST" or "PUT" or "PATCH") request.Content = Body(bodyFrom);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>B's data in an answer: B's emails and names that A does not happen to share (both populations are generated), unless the request itself carried them (an error may quote what was sent).</summary>
    private static IEnumerable<string> Leaks(string body, World b, World a, bool storeIdCounts, string sent = "")
    {
        foreach (var email in b.Emails.Where(e => !a.Emails.Contains(e) && !sent.Contains(e, StringComparison.OrdinalIgnoreCase)))
            if (body.Contains(email, StringComparison.OrdinalIgnoreCase)) yield return email;
        foreach (var name in b.Names.Where(n => !a.Names.Contains(n) && !sent.Contains(n, StringComparison.Ordinal)))
            if (body.Contains(name, StringComparison.Ordinal)) yield return name;
        if (storeIdCounts && body.Contains(b.Store, StringComparison.Ordinal)) yield return b.Store;
    }

    [Fact]
    public async Task Every_route_is_listed_as_under_a_merchant_or_explicitly_allowed()
    {
        await fixture.PrepareAsync();
        var unlisted = (await OperationsAsync()).Where(o => !o.UnderMerchant && !NotUnderAMerchant.ContainsKey(o.Name)).Select(o => o.Name).ToList();
        Assert.True(unlisted.Count == 0, "routes outside /api/v1/merchants/{m} that the test does not know (add them to NotUnderAMerchant with who may call them): "
            + string.Join(", ", unlisted));
    }

    [Fact]
    public async Task A_merchant_key_gets_403_or_404_on_every_operation_of_another_merchant_and_sees_none_of_its_data()
    {
        await fixture.PrepareAsync();
        using var keyA = fixture.Host.Client(fixture.KeyA);
        var failures = new List<string>();
        var checkedOps = 0;
        foreach (var op in (await OperationsAsync()).Where(o => o.UnderMerchant).OrderBy(o => o.Method == "DELETE"))
        {
            var url = Fill(op, B, fixture.WorldB, withQuery: true);
            var (status, body) = await CallAsync(keyA, op, url, fixture.WorldB);
            checkedOps++;
            if (status is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound)) failures.Add($"{op.Name} ({url}) answered {(int)status}: {Cut(body)}");
            if (Leaks(body, fixture.WorldB, fixture.WorldA, storeIdCounts: true).ToList() is { Count: > 0 } leaked)
                failures.Add($"{op.Name} ({url}) showed B's {string.Join(", ", leaked)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedOps} operations let merchant A at merchant B:\n" + string.Join("\n", failures));
        await AssertBUnchangedAsync();
    }

    [Fact]
    public async Task A_merchant_key_on_its_own_merchant_with_the_other_merchants_ids_sees_none_of_its_data_and_changes_nothing()
    {
        await fixture.PrepareAsync();
        using var keyA = fixture.Host.Client(fixture.KeyA);
        var failures = new List<string>();
        var operations = (await OperationsAsync()).Where(o => o.UnderMerchant && !AdminOnlyUnderAMerchant.Contains(o.Name)).ToList();
        // B's ids in the path (A's merchant): nothing of B may answer 2xx where the path names one of B's objects.
        foreach (var op in operations.Where(o => o.Method != "PUT").OrderBy(o => o.Method == "DELETE"))
        {
            var url = Fill(op, A, fixture.WorldB, withQuery: true);
            var (status, body) = await CallAsync(keyA, op, url, fixture.WorldB);
            var namesBObject = op.Path.Contains("{id}") || op.Path.Contains("{store}");
            if (namesBObject && (int)status is >= 200 and < 300) failures.Add($"{op.Name} ({url}) answered {(int)status} for B's object: {Cut(body)}");
            if ((int)status >= 500) failures.Add($"{op.Name} ({url}) answered {(int)status}: {Cut(body)}");
            if (Leaks(body, fixture.WorldB, fixture.WorldA, storeIdCounts: false).ToList() is { Count: > 0 } leaked)
                failures.Add($"{op.Name} ({url}) showed B's {string.Join(", ", leaked)}");
        }
        // A's own objects in the path, B's ids in the query and body (merge with B's customer, split B's email, filter by B's store).
        foreach (var op in operations.OrderBy(o => o.Method == "DELETE"))
        {
            var url = Fill(op, A, fixture.WorldA, withQuery: false);
            var query = op.QueryParameters.Where(q => q is "store" or "customer").Select(q => q == "store" ? $"store={fixture.WorldB.Store}" : $"customer={fixture.WorldB.CustomerIds[0]}").ToList();
            if (query.Count > 0) url += "?" + string.Join('&', query);
            var (status, body) = await CallAsync(keyA, op, url, fixture.WorldB);
            if ((int)status >= 500) failures.Add($"{op.Name} ({url}) answered {(int)status}: {Cut(body)}");
            if (Leaks(body, fixture.WorldB, fixture.WorldA, storeIdCounts: false, sent: url + BodyText(fixture.WorldB)).ToList() is { Count: > 0 } leaked)
                failures.Add($"{op.Name} ({url}) showed B's {string.Join(", ", leaked)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertBUnchangedAsync();
    }

    [Fact]
    public async Task Without_a_key_every_api_operation_answers_401_and_admin_routes_answer_403_to_a_merchant_key()
    {
        await fixture.PrepareAsync();
        using var anonymous = fixture.Host.Client(null);
        using var wrongKey = fixture.Host.Client("mk_tenant-b_not-a-real-key-000000");
        using var keyA = fixture.Host.Client(fixture.KeyA);
        var failures = new List<string>();
        foreach (var op in await OperationsAsync())
        {
            var access = op.UnderMerchant ? AdminOnlyUnderAMerchant.Contains(op.Name) ? "admin" : "merchant" : NotUnderAMerchant.GetValueOrDefault(op.Name, "unknown");
            var url = Fill(op, B, fixture.WorldB, withQuery: true);
            foreach (var (who, client) in new[] { ("no key", anonymous), ("a wrong key", wrongKey) })
            {
                var (status, body) = await CallAsync(client, op, url, fixture.WorldB);
                if (access == "anonymous")
                {
                    if (!((int)status is >= 200 and < 300)) failures.Add($"{op.Name} with {who} answered {(int)status}: {Cut(body)}");
                    continue;
                }
                if (status != HttpStatusCode.Unauthorized) failures.Add($"{op.Name} ({url}) with {who} answered {(int)status}, not 401: {Cut(body)}");
                if (Leaks(body, fixture.WorldB, fixture.WorldA, storeIdCounts: true).ToList() is { Count: > 0 } leaked)
                    failures.Add($"{op.Name} with {who} showed B's {string.Join(", ", leaked)}");
            }
            if (access == "admin")
            {
                var own = Fill(op, A, fixture.WorldA, withQuery: true);
                var (status, body) = await CallAsync(keyA, op, own, fixture.WorldA);
                if (status != HttpStatusCode.Forbidden) failures.Add($"admin route {op.Name} ({own}) with merchant A's key answered {(int)status}, not 403: {Cut(body)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // What a merchant key may see outside merchants: who it is, and the plugins (no other merchant's data).
        var me = await keyA.GetJsonAsync("/api/v1/me");
        Assert.Equal(A, me.GetProperty("merchant").GetString());
        Assert.False(me.GetProperty("admin").GetBoolean());
        var plugins = await (await keyA.GetAsync("/api/v1/plugins")).Content.ReadAsStringAsync();
        Assert.Empty(Leaks(plugins, fixture.WorldB, fixture.WorldA, storeIdCounts: true));
        await AssertBUnchangedAsync();
    }

    private async Task AssertBUnchangedAsync()
    {
        using var admin = fixture.Host.Client();
        Assert.Equal(fixture.WorldB.Fingerprint, await World.FingerprintAsync(admin, B, StoreB));
    }

    private static string Cut(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
