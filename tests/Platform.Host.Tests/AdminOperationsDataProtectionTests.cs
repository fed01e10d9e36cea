using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Platform.Host.Infrastructure;
using Platform.Host.Tests.Support;
using Platform.Plugins.Ebay.Tests;
using Platform.Plugins.Testing;
using Platform.Plugins.WooCommerce.Tests;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Rotating the Data Protection key ring through the real host: stores with secrets (WooCommerce keys, an eBay
/// refresh token and the access token it saves) keep syncing after rotation, after restarts and after the old keys are revoked.
/// </summary>
public sealed class AdminOperationsDataProtectionTests : IAsyncLifetime
{
    private const string M = "dp";
    private readonly WooCommerceFake _woo = new();
    private readonly EbayFake _ebay = new();
    private readonly List<FakeMarketplaceServer> _servers = [];
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var placed = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddDays(-3);
        _woo.AddOrder("ana@example.com", "Ana", "Lima", placed);
        _ebay.AddOrder(new SampleItem(990_001, placed.AddHours(-1), placed), "bo@example.com", "Bo Tan");
        _servers.Add(new FakeMarketplaceServer(_woo));
        _servers.Add(new FakeMarketplaceServer(_ebay));
        _host = new HostProcess(TestPaths.NewTempDirectory(nameof(AdminOperationsDataProtectionTests)));
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        foreach (var server in _servers) server.Dispose();
        try { Directory.Delete(_host.DataDirectory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Rotation_reprotects_every_stored_secret_and_old_keys_are_revoked_only_after()
    {
        var since = DateTimeOffset.UtcNow.AddDays(-30);
        using (var api = _host.Client())
        {
            await api.CreateMerchantAsync(M);
            await PutStore(api, "woo", "woocommerce", new { baseUrl = _servers[0].Url, consumerKey = WooCommerceFake.ConsumerKey, consumerSecret = WooCommerceFake.ConsumerSecret }, since);
            await PutStore(api, "ebay", "ebay", new
            {
                baseUrl = _servers[1].Url, clientId = EbayFake.ClientId, clientSecret = EbayFake.ClientSecret, refreshToken = EbayFake.RefreshToken,
                sellerUsername = EbayFake.SellerUsername,
            }, since);
            await SyncBothAsync(api);

            var first = await SecretsAsync();
            Assert.True(first.Stores >= 4 && first.Tokens >= 1, $"expected store secrets and a saved token, found {first.Stores} and {first.Tokens}");
            var before = (await api.GetJsonAsync("/api/v1/admin/data-protection/keys")).GetProperty("items").EnumerateArray().ToList();
            var oldKey = Assert.Single(before, k => k.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();
            Assert.All(first.KeyIds, id => Assert.Equal(oldKey, id));

            // Operators only.
            var merchantKey = (await (await api.PostAsync($"/api/v1/merchants/{M}/keys", null)).ReadJsonAsync()).GetProperty("key").GetString();
            using (var merchant = _host.Client(merchantKey))
                Assert.Equal(HttpStatusCode.Forbidden, (await merchant.PostAsync("/api/v1/admin/data-protection/rotate", null)).StatusCode);
            using (var nobody = _host.Client(null))
                Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsync("/api/v1/admin/data-protection/rotate", null)).StatusCode);

            var rotated = await RotateAsync(api, revokeOld: false);
            var newKey = rotated.GetProperty("key").GetProperty("id").GetGuid();
            Assert.NotEqual(oldKey, newKey);
            Assert.Equal(first.Stores, rotated.GetProperty("storeSecrets").GetInt32());
            Assert.Equal(first.Tokens, rotated.GetProperty("tokens").GetInt32());
            Assert.Empty(rotated.GetProperty("revoked").EnumerateArray());
            var after = await SecretsAsync();
            Assert.All(after.KeyIds, id => Assert.Equal(newKey, id));
            Assert.DoesNotContain(after.Values, v => v.Contains(WooCommerceFake.ConsumerSecret, StringComparison.Ordinal));
        }

        await _host.StopAsync();
        await _host.StartAsync();
        Guid current;
        using (var api = _host.Client())
        {
            await SyncBothAsync(api);
            var woo = await api.GetJsonAsync($"/api/v1/merchants/{M}/stores/woo");
            Assert.Equal("***", woo.GetProperty("settings").GetProperty("consumerSecret").GetString());
            Assert.Equal("***", woo.GetProperty("settings").GetProperty("consumerKey").GetString());

            var rotated = await RotateAsync(api, revokeOld: true);
            current = rotated.GetProperty("key").GetProperty("id").GetGuid();
            var revoked = rotated.GetProperty("revoked").EnumerateArray().Select(r => r.GetGuid()).ToList();
            Assert.Equal(2, revoked.Count);
            Assert.DoesNotContain(current, revoked);
            var keys = rotated.GetProperty("keys").EnumerateArray().ToList();
            Assert.Equal(3, keys.Count);
            Assert.All(keys.Where(k => k.GetProperty("id").GetGuid() != current), k => Assert.True(k.GetProperty("revoked").GetBoolean(), k.ToString()));
            Assert.All((await SecretsAsync()).KeyIds, id => Assert.Equal(current, id));

            // The key ring on disk records the revocations.
            var files = Directory.GetFiles(Path.Combine(_host.DataDirectory, "keys"), "*.xml").Select(File.ReadAllText).ToList();
            foreach (var id in revoked)
                Assert.Contains(files, f => f.Contains("<revocation", StringComparison.Ordinal) && f.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase));

            await SyncBothAsync(api);
        }

        // After a restart, the revoked keys stay revoked and the stores still read their secrets.
        await _host.StopAsync();
        await _host.StartAsync();
        using (var api = _host.Client())
        {
            await SyncBothAsync(api);
            var keys = (await api.GetJsonAsync("/api/v1/admin/data-protection/keys")).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(current, Assert.Single(keys, k => k.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid());
            Assert.Equal(2, keys.Count(k => k.GetProperty("revoked").GetBoolean()));
            Assert.Equal(2, (await api.GetJsonAsync($"/api/v1/merchants/{M}/orders")).GetProperty("total").GetInt32());
        }
    }

    private static async Task<JsonElement> RotateAsync(HttpClient api, bool revokeOld)
    {
        var response = await api.PostAsync($"/api/v1/admin/data-protection/rotate?revokeOld={(revokeOld ? "true" : "false")}", null);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static async Task SyncBothAsync(HttpClient api)
    {
        foreach (var store in new[] { "woo", "ebay" })
        {
            var check = await (await api.PostAsync($"/api/v1/merchants/{M}/stores/{store}/check", null)).ReadJsonAsync();
            Assert.True(check.GetProperty("ok").GetBoolean(), $"{store}: {check}");
            await api.SyncAsync(M, store, "orders");
        }
    }

    /// <summary>The protected values stored in the database and the keys that protected them.</summary>
    private async Task<(int Stores, int Tokens, List<Guid> KeyIds, List<string> Values)> SecretsAsync()
    {
        var (stores, tokens, ids, values) = (0, 0, new List<Guid>(), new List<string>());
        await using var conn = new SqliteConnection($"Data Source={Path.Combine(_host.DataDirectory, "platform.db")};Pooling=False;Mode=ReadOnly");
        await conn.OpenAsync();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT settings_json FROM stores";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                values.Add(r.GetString(0));
                foreach (var p in JsonDocument.Parse(r.GetString(0)).RootElement.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String && SecretProtector.KeyIdOf(p.Value.GetString()!) is { } id) { stores++; ids.Add(id); }
            }
        }
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT value FROM tokens";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                values.Add(r.GetString(0));
                var id = SecretProtector.KeyIdOf(r.GetString(0));
                Assert.True(id is not null, "a token is stored unprotected");
                tokens++;
                ids.Add(id.Value);
            }
        }
        return (stores, tokens, ids, values);
    }

    private static async Task PutStore(HttpClient api, string store, string plugin, object settings, DateTimeOffset since)
    {
        var response = await api.PutJsonAsync($"/api/v1/merchants/{M}/stores/{store}",
            new { plugin, displayName = store, settings, since, schedules = new { }, enabled = true });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT {store}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
