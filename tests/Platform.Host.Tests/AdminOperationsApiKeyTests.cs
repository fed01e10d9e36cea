using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>Listing, revoking and rotating merchant API keys through the real host.</summary>
public sealed class AdminOperationsApiKeyTests(AdminOperationsApiKeyTests.Fixture fixture) : IClassFixture<AdminOperationsApiKeyTests.Fixture>
{
    public sealed class Fixture : HostFixture;

    private static async Task<JsonElement> CreateKeyAsync(HttpClient admin, string merchant, string? label = null)
    {
        var response = label is null ? await admin.PostAsync($"/api/v1/merchants/{merchant}/keys", null) : await admin.PostJsonAsync($"/api/v1/merchants/{merchant}/keys", new { label });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private static async Task<HttpStatusCode> WhoAmIAsync(HostProcess host, string key)
    {
        using var client = host.Client(key);
        return (await client.GetAsync("/api/v1/me")).StatusCode;
    }

    [Fact]
    public async Task Keys_are_listed_without_secrets_revoked_at_once_and_rotated_with_or_without_grace()
    {
        var host = fixture.Host;
        using var admin = host.Client();
        await admin.CreateMerchantAsync("ka");
        await admin.CreateMerchantAsync("kb");
        var a1 = await CreateKeyAsync(admin, "ka", "ci pipeline");
        var a1Key = a1.GetProperty("key").GetString()!;
        var a1Id = a1.GetProperty("id").GetString()!;
        Assert.StartsWith("key_", a1Id);
        Assert.Equal("ci pipeline", a1.GetProperty("label").GetString());
        Assert.StartsWith(a1.GetProperty("prefix").GetString()!, a1Key);
        Assert.True(a1.GetProperty("prefix").GetString()!.Length < a1Key.Length - 16, "the prefix gives away too much of the key");
        var b1 = await CreateKeyAsync(admin, "kb");
        var b1Key = b1.GetProperty("key").GetString()!;
        var b1Id = b1.GetProperty("id").GetString()!;

        // The list: ids, labels, prefixes, times; never the key or its hash.
        var listed = await admin.GetJsonAsync("/api/v1/merchants/ka/keys");
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        var item = listed.GetProperty("items")[0];
        Assert.Equal(a1Id, item.GetProperty("id").GetString());
        Assert.Equal("active", item.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("revokedAt").ValueKind);
        Assert.False(item.TryGetProperty("key", out _));
        Assert.False(item.TryGetProperty("hash", out _));
        Assert.DoesNotContain(a1Key, listed.ToString());
        // Stored hashed: the key itself is nowhere in the table.
        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "platform.db")};Pooling=False;Mode=ReadOnly"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT hash || '|' || prefix || '|' || id FROM api_keys";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) Assert.DoesNotContain(a1Key, r.GetString(0));
        }

        using var a = host.Client(a1Key);
        using var b = host.Client(b1Key);
        // A merchant sees its own keys, not another's; it cannot revoke another merchant's key by either route.
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/v1/merchants/ka/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("/api/v1/merchants/kb/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/api/v1/merchants/ka/keys/{a1Id}")).StatusCode);
        var wrongMerchant = await a.DeleteAsync($"/api/v1/merchants/ka/keys/{b1Id}");
        Assert.Equal(HttpStatusCode.NotFound, wrongMerchant.StatusCode);
        Assert.Contains(b1Id, (await wrongMerchant.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(host, b1Key));
        // Minting keys takes the admin key, rotation included.
        Assert.Equal(HttpStatusCode.Forbidden, (await a.PostAsync($"/api/v1/merchants/ka/keys/{a1Id}/rotate", null)).StatusCode);

        var unknown = await admin.DeleteAsync("/api/v1/merchants/ka/keys/key_nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("key_nope", (await unknown.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/merchants/ka/keys/key_nope/rotate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/merchants/nobody/keys")).StatusCode);
        var badGrace = await admin.PostJsonAsync($"/api/v1/merchants/ka/keys/{a1Id}/rotate", new { graceMinutes = -5 });
        Assert.Equal(HttpStatusCode.BadRequest, badGrace.StatusCode);
        Assert.True((await badGrace.ReadJsonAsync()).GetProperty("errors").TryGetProperty("graceMinutes", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostJsonAsync("/api/v1/merchants/ka/keys", new { label = new string('x', 101) })).StatusCode);

        // Rotation with a grace period: both keys work until the old one is revoked.
        var rotated = await admin.PostJsonAsync($"/api/v1/merchants/ka/keys/{a1Id}/rotate", new { graceMinutes = 60 });
        var rotation = await rotated.ReadJsonAsync();
        Assert.True(rotated.StatusCode == HttpStatusCode.Created, rotation.ToString());
        var a2Key = rotation.GetProperty("key").GetProperty("key").GetString()!;
        var a2Id = rotation.GetProperty("key").GetProperty("id").GetString()!;
        Assert.Equal("ci pipeline", rotation.GetProperty("key").GetProperty("label").GetString());
        Assert.Equal("expiring", rotation.GetProperty("replaced").GetProperty("status").GetString());
        var ends = rotation.GetProperty("replaced").GetProperty("revokedAt").GetDateTimeOffset();
        Assert.InRange(ends, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(65));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(host, a1Key));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(host, a2Key));

        // Revocation ends the grace period: 401 on the very next request.
        var revoked = await admin.DeleteAsync($"/api/v1/merchants/ka/keys/{a1Id}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", (await revoked.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(host, a1Key));
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.GetAsync("/api/v1/merchants/ka/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(host, a2Key));
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/merchants/ka/keys/{a1Id}")).StatusCode); // twice is harmless
        var again = await admin.PostAsync($"/api/v1/merchants/ka/keys/{a1Id}/rotate", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("revoked", (await again.ReadJsonAsync()).GetProperty("detail").GetString());

        // Rotation without a grace period: the old key stops at once.
        var now = await (await admin.PostAsync($"/api/v1/merchants/ka/keys/{a2Id}/rotate", null)).ReadJsonAsync();
        var a3Key = now.GetProperty("key").GetProperty("key").GetString()!;
        var a3Id = now.GetProperty("key").GetProperty("id").GetString()!;
        Assert.Equal("revoked", now.GetProperty("replaced").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(host, a2Key));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(host, a3Key));

        var all = (await admin.GetJsonAsync("/api/v1/merchants/ka/keys")).GetProperty("items").EnumerateArray()
            .ToDictionary(k => k.GetProperty("id").GetString()!, k => k.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { [a1Id] = "revoked", [a2Id] = "revoked", [a3Id] = "active" }, all);

        // A merchant can revoke its own key, even the one it calls with.
        using var a3 = host.Client(a3Key);
        Assert.Equal(HttpStatusCode.OK, (await a3.DeleteAsync($"/api/v1/merchants/ka/keys/{a3Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(host, a3Key));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(host, b1Key));
    }
    [Fact]
    public async Task Keys_made_before_the_migration_get_an_id_and_can_be_listed_and_revoked()
    {
        var data = TestPaths.NewTempDirectory("keys-upgrade");
        string key;
        await using (var first = new HostProcess(data))
        {
            await first.StartAsync();
            using var api = first.Client();
            await api.CreateMerchantAsync("old");
            key = (await CreateKeyAsync(api, "old")).GetProperty("key").GetString()!;
            await first.StopAsync();
        }

        // The table as it was before migration ApiKeyLifecycle.
        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(data, "platform.db")};Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                DROP INDEX IX_api_keys_id;
                ALTER TABLE api_keys DROP COLUMN id; ALTER TABLE api_keys DROP COLUMN label; ALTER TABLE api_keys DROP COLUMN revoked_at;
                DELETE FROM __EFMigrationsHistory WHERE MigrationId LIKE '%_ApiKeyLifecycle';
                """;
            await cmd.ExecuteNonQueryAsync();
        }

        await using (var second = new HostProcess(data))
        {
            await second.StartAsync();
            using var admin = second.Client();
            Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync(second, key));
            var listed = Assert.Single((await admin.GetJsonAsync("/api/v1/merchants/old/keys")).GetProperty("items").EnumerateArray());
            var id = listed.GetProperty("id").GetString()!;
            Assert.Matches("^key_[0-9a-f]{16}$", id);
            Assert.Equal("active", listed.GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/merchants/old/keys/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(second, key));
        }
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
