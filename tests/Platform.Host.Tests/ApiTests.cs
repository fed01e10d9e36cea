using System.Net;
using System.Text;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

public sealed class ApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly DateTimeOffset Since = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-20);
    private HostProcess Host => fixture.Host;

    [Fact]
    public async Task Requests_without_a_valid_key_get_401_with_what_to_do()
    {
        var none = await Host.Client(null).GetAsync("/api/v1/plugins");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", (await none.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client("wrong-key").GetAsync("/api/v1/merchants/demo/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.Client(null).GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_merchant_key_sees_its_merchant_only()
    {
        using var admin = Host.Client();
        await admin.CreateMerchantAsync("acme");
        await admin.CreateMerchantAsync("globex");
        var keyResponse = await admin.PostAsync("/api/v1/merchants/acme/keys", null);
        Assert.Equal(HttpStatusCode.Created, keyResponse.StatusCode);
        var key = (await keyResponse.ReadJsonAsync()).GetProperty("key").GetString()!;

        using var acme = Host.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/v1/merchants/acme/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/v1/merchants/acme")).StatusCode);
        foreach (var url in new[] { "/api/v1/merchants/globex", "/api/v1/merchants/globex/customers", "/api/v1/merchants/globex/stores" })
            Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await acme.PostJsonAsync("/api/v1/merchants", new { id = "evil", name = "x", currency = "USD" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await acme.PostAsync("/api/v1/merchants/acme/keys", null)).StatusCode);

        // Only a hash of the key is stored.
        var db = await File.ReadAllBytesAsync(Path.Combine(Host.DataDirectory, "platform.db"));
        var wal = Path.Combine(Host.DataDirectory, "platform.db-wal");
        var all = db.Concat(File.Exists(wal) ? await ReadSharedAsync(wal) : []).ToArray();
        Assert.DoesNotContain(key, Encoding.UTF8.GetString(all));
    }

    [Fact]
    public async Task Store_validation_names_every_bad_field()
    {
        using var admin = Host.Client();
        await admin.CreateMerchantAsync("valid");
        var response = await admin.PutJsonAsync("/api/v1/merchants/valid/stores/s1", new
        {
            plugin = "sandbox",
            settings = new { pageSize = "many", people = 0, colour = "blue" },
            schedules = new { orders = "every minute", invoices = "0 * * * * ?" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var errors = body.GetProperty("errors");
        foreach (var field in new[] { "settings.pageSize", "settings.people", "settings.colour", "schedules.orders", "schedules.invoices" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {body}");
        Assert.Contains("settings.pageSize", body.GetProperty("detail").GetString());

        var unknown = await admin.PutJsonAsync("/api/v1/merchants/valid/stores/s1", new { plugin = "amazon", settings = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'amazon' is not a loaded plugin", (await unknown.ReadJsonAsync()).GetProperty("errors").GetProperty("plugin")[0].GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/merchants/valid/stores/s1")).StatusCode);
    }

    [Fact]
    public async Task Secrets_are_never_returned_and_not_stored_in_clear()
    {
        using var admin = Host.Client();
        await admin.CreateMerchantAsync("secrets");
        const string token = "very-secret-token-4711";
        var created = await admin.PutStoreAsync("secrets", "s1", new { people = 10, apiToken = token }, Since);
        Assert.Equal("***", created.GetProperty("settings").GetProperty("apiToken").GetString());
        var read = await admin.GetJsonAsync("/api/v1/merchants/secrets/stores/s1");
        Assert.Equal("***", read.GetProperty("settings").GetProperty("apiToken").GetString());
        Assert.DoesNotContain(token, await (await admin.GetAsync("/api/v1/merchants/secrets/stores")).Content.ReadAsStringAsync());

        // Sending the mask back keeps the secret: the connector still gets the real token.
        await admin.PutStoreAsync("secrets", "s1", new { people = 10, apiToken = "***" }, Since, expected: HttpStatusCode.OK);
        var check = await (await admin.PostAsync("/api/v1/merchants/secrets/stores/s1/check", null)).ReadJsonAsync();
        Assert.True(check.GetProperty("ok").GetBoolean(), check.ToString());

        // A token the sandbox rejects fails the check in words.
        await admin.PutStoreAsync("secrets", "s1", new { people = 10, apiToken = "invalid" }, Since, expected: HttpStatusCode.OK);
        var failed = await (await admin.PostAsync("/api/v1/merchants/secrets/stores/s1/check", null)).ReadJsonAsync();
        Assert.False(failed.GetProperty("ok").GetBoolean());
        Assert.Contains("apiToken", failed.GetProperty("message").GetString());

        var db = Encoding.UTF8.GetString((await File.ReadAllBytesAsync(Path.Combine(Host.DataDirectory, "platform.db")))
            .Concat(await ReadSharedAsync(Path.Combine(Host.DataDirectory, "platform.db-wal"))).ToArray());
        Assert.DoesNotContain(token, db);
    }

    [Fact]
    public async Task Lists_page_and_report_the_total()
    {
        using var admin = Host.Client();
        await admin.CreateMerchantAsync("paging");
        await admin.PutStoreAsync("paging", "s1", new { people = 60, ordersPerDay = 15 }, Since);
        await admin.SyncAsync("paging", "s1", "orders");

        var first = await admin.GetJsonAsync("/api/v1/merchants/paging/orders?page=1&pageSize=7");
        var second = await admin.GetJsonAsync("/api/v1/merchants/paging/orders?page=2&pageSize=7");
        var total = first.GetProperty("total").GetInt32();
        Assert.True(total > 14);
        Assert.Equal(total, second.GetProperty("total").GetInt32());
        Assert.Equal(7, first.GetProperty("items").GetArrayLength());
        var ids1 = first.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
        var ids2 = second.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
        Assert.Empty(ids1.Intersect(ids2));
        Assert.Equal(total, (await admin.GetAllAsync("/api/v1/merchants/paging/orders")).Select(o => o.GetProperty("id").GetString()).Distinct().Count());

        var tooBig = await admin.GetAsync("/api/v1/merchants/paging/customers?pageSize=501");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.True((await tooBig.ReadJsonAsync()).GetProperty("errors").TryGetProperty("pageSize", out _));
        var badSort = await admin.GetAsync("/api/v1/merchants/paging/customers?sort=shoeSize");
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_store_removes_its_configuration_and_keeps_the_history()
    {
        using var admin = Host.Client();
        await admin.CreateMerchantAsync("deleting");
        await admin.PutStoreAsync("deleting", "gone", new { people = 20, ordersPerDay = 5 }, Since, new { orders = "0 0 * * * ?" });
        await admin.SyncAsync("deleting", "gone", "orders");
        var orders = (await admin.GetJsonAsync("/api/v1/merchants/deleting/orders?pageSize=1")).GetProperty("total").GetInt32();
        Assert.True(orders > 0);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/merchants/deleting/stores/gone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/merchants/deleting/stores/gone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/merchants/deleting/stores/gone/sync", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/merchants/deleting/stores/gone")).StatusCode);
        Assert.Equal(orders, (await admin.GetJsonAsync("/api/v1/merchants/deleting/orders?pageSize=1")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/merchants/deleting/orders?customer=c424242")).StatusCode);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        if (!File.Exists(path)) return [];
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
