using System.Text.Json;
using Microsoft.Data.Sqlite;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>A database written by an earlier version (no search rows, no name keys) is brought up to date at start.</summary>
public sealed class UpgradeTests
{
    [Fact]
    public async Task Search_rows_and_name_keys_missing_from_an_older_database_are_filled_at_start()
    {
        var data = TestPaths.NewTempDirectory("upgrade");
        var since = ClosedStores.Today.AddDays(-50);
        var settings = new { population = 21, people = 30, ordersPerDay = 8, country = "SG", closedOn = ClosedStores.ClosedOn };
        JsonElement someone;
        await using (var first = new HostProcess(data))
        {
            await first.StartAsync();
            using var api = first.Client();
            await api.CreateMerchantAsync("up");
            await api.PutStoreAsync("up", "s1", settings, since);
            await api.SyncAsync("up", "s1", "orders");
            await api.WaitForProfilesAsync("up");
            someone = (await api.GetAllAsync("/api/v1/merchants/up/customers")).First(c => c.GetProperty("email").ValueKind == JsonValueKind.String);
            await first.StopAsync();
        }

        // What the database looked like before migration IdentityControl filled these columns and tables.
        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(data, "platform.db")};Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "DELETE FROM customer_search; DELETE FROM customer_search_rows; UPDATE buyers SET name_key = NULL;";
            await cmd.ExecuteNonQueryAsync();
        }

        await using var second = new HostProcess(data);
        await second.StartAsync();
        using var client = second.Client();
        var email = someone.GetProperty("email").GetString()!;
        var id = someone.GetProperty("id").GetString();
        await Eventually.Until(async () =>
            (await client.GetJsonAsync($"/api/v1/merchants/up/customers?q={Uri.EscapeDataString(email)}")).GetProperty("items").GetArrayLength() > 0,
            TimeSpan.FromSeconds(60), () => $"{email} is not found after the restart\n{second.Log}");
        var found = (await client.GetJsonAsync($"/api/v1/merchants/up/customers?q={Uri.EscapeDataString(email)}")).GetProperty("items");
        Assert.Equal(id, Assert.Single(found.EnumerateArray()).GetProperty("id").GetString());
        var all = await client.GetAllAsync("/api/v1/merchants/up/customers");
        foreach (var c in all)
        {
            var name = c.GetProperty("name").GetString()!;
            var hits = (await client.GetJsonAsync($"/api/v1/merchants/up/customers?q={Uri.EscapeDataString(name)}&pageSize=500")).GetProperty("items");
            Assert.Contains(hits.EnumerateArray(), h => h.GetProperty("id").GetString() == c.GetProperty("id").GetString());
        }

        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(data, "platform.db")};Mode=ReadOnly;Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM buyers WHERE name IS NOT NULL AND name_key IS NULL";
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }
        Assert.Contains("backfilled", second.Log);
    }

    [Fact]
    public async Task Search_rows_numbered_before_the_merchants_rowid_ranges_move_into_them_and_every_customer_is_found()
    {
        var data = TestPaths.NewTempDirectory("upgrade-search");
        var since = ClosedStores.Today.AddDays(-50);
        string[] merchants = ["up-a", "up-b"];
        await using (var first = new HostProcess(data))
        {
            await first.StartAsync();
            using var api = first.Client();
            foreach (var m in merchants)
            {
                await api.CreateMerchantAsync(m);
                await api.PutStoreAsync(m, "s1", new { population = 22, people = 40, ordersPerDay = 8, country = "SG", closedOn = ClosedStores.ClosedOn }, since);
                await api.SyncAsync(m, "s1", "orders");
                await api.WaitForProfilesAsync(m);
            }
            await first.StopAsync();
        }

        // Before migration SearchRowRanges: no ranges, and rowids handed out in insert order across merchants.
        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(data, "platform.db")};Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                CREATE TEMP TABLE old_rows AS SELECT r.merchant_id, r.customer_id, s.text, ROW_NUMBER() OVER (ORDER BY r.customer_id, r.merchant_id) AS n
                  FROM customer_search_rows r JOIN customer_search s ON s.rowid = r.search_rowid;
                DELETE FROM customer_search; DELETE FROM customer_search_rows;
                INSERT INTO customer_search (rowid, text) SELECT n, text FROM old_rows;
                INSERT INTO customer_search_rows (merchant_id, customer_id, search_rowid) SELECT merchant_id, customer_id, n FROM old_rows;
                DROP TABLE customer_search_merchants;
                DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '%_SearchRowRanges';
                """;
            await cmd.ExecuteNonQueryAsync();
        }

        await using var second = new HostProcess(data);
        await second.StartAsync();
        using var client = second.Client();
        foreach (var m in merchants)
        {
            var all = await client.GetAllAsync($"/api/v1/merchants/{m}/customers");
            Assert.NotEmpty(all);
            foreach (var c in all.Where(c => c.GetProperty("email").ValueKind == JsonValueKind.String))
            {
                var hits = (await client.GetJsonAsync($"/api/v1/merchants/{m}/customers?q={Uri.EscapeDataString(c.GetProperty("email").GetString()!)}")).GetProperty("items");
                Assert.Equal(c.GetProperty("id").GetString(), Assert.Single(hits.EnumerateArray()).GetProperty("id").GetString());
            }
            var withCom = all.Count(c => c.GetProperty("email").GetString()?.Contains("com", StringComparison.Ordinal) == true);
            Assert.Equal(withCom, (await client.GetJsonAsync($"/api/v1/merchants/{m}/customers?q=com")).GetProperty("total").GetInt32());
        }
        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(data, "platform.db")};Mode=ReadOnly;Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                SELECT COUNT(*) FROM customer_search_rows r JOIN customer_search_merchants b ON b.merchant_id = r.merchant_id
                  JOIN customers c ON c.merchant_id = r.merchant_id AND c.id = r.customer_id
                WHERE r.search_rowid = b.base + c.sequence
                """;
            var inRange = (long)(await cmd.ExecuteScalarAsync())!;
            cmd.CommandText = "SELECT COUNT(*) FROM customer_search_rows";
            Assert.Equal((long)(await cmd.ExecuteScalarAsync())!, inRange);
            Assert.True(inRange > 0);
        }
    }

    [Fact]
    public async Task Reviews_and_messages_synced_before_the_service_model_get_their_sentiment_and_cases_at_start()
    {
        var data = TestPaths.NewTempDirectory("upgrade-service");
        var since = ClosedStores.Today.AddDays(-80);
        var settings = new { population = 23, people = 60, ordersPerDay = 10, country = "SG", closedOn = ClosedStores.ClosedOn };
        var noSweep = new Dictionary<string, string> { ["Platform:Service:SweepCron"] = "0 0 0 1 1 ? 2099" };
        List<string> synced;
        await using (var first = new HostProcess(data, noSweep))
        {
            await first.StartAsync();
            using var api = first.Client();
            await api.CreateMerchantAsync("up");
            await api.PutStoreAsync("up", "s1", settings, since);
            await api.SyncAsync("up", "s1");
            synced = await CaseStatesAsync(api);
            Assert.NotEmpty(synced);
            await first.StopAsync();
        }

        // What the database looked like before migration ServiceHistory: no sentiment, reply times, conversations or cases.
        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(data, "platform.db")};Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                DELETE FROM case_events; DELETE FROM cases; DELETE FROM conversations;
                UPDATE messages SET sentiment = 0; UPDATE reviews SET sentiment = 0, replied_at = NULL; UPDATE stores SET service_version = 0;
                """;
            await cmd.ExecuteNonQueryAsync();
        }

        await using var second = new HostProcess(data, noSweep);
        await second.StartAsync();
        using var client = second.Client();
        // Replayed in the order things happened, the stored items give the same cases a live sync gave.
        Assert.Equal(synced, await CaseStatesAsync(client));
        Assert.Contains(await client.GetAllAsync("/api/v1/merchants/up/messages"), m => m.GetProperty("sentiment").GetDouble() != 0);
        Assert.NotEmpty(await client.GetAllAsync("/api/v1/merchants/up/conversations"));
        Assert.Contains("given their cases", second.Log);

        // Done once: a third start changes nothing.
        await second.StopAsync();
        await using var third = new HostProcess(data, noSweep);
        await third.StartAsync();
        Assert.Equal(synced, await CaseStatesAsync(third.Client()));
        Assert.DoesNotContain("given their cases", third.Log);
    }

    private static async Task<List<string>> CaseStatesAsync(HttpClient api) =>
        (await api.GetAllAsync("/api/v1/merchants/up/cases")).Select(c => string.Join(" | ", c.GetProperty("store").GetString(), c.GetProperty("channel").GetString(),
                c.GetProperty("messageId").ToString(), c.GetProperty("reviewId").ToString(), c.GetProperty("status").GetString(), c.GetProperty("triggers").ToString(),
                c.GetProperty("openedAt").GetDateTimeOffset().ToUnixTimeMilliseconds(), c.GetProperty("firstResponseAt").ToString(), c.GetProperty("resolvedAt").ToString()))
            .Order(StringComparer.Ordinal).ToList();
}
