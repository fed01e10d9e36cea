using System.Text.Json;
using Npgsql;
using Platform.Abstractions;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The real host with <c>Platform:Database:Provider=Postgres</c> on a throw-away PostgreSQL cluster: the same journey as on
/// SQLite (sync, unification, search, profile, scoring), then a restart on the same database that stores nothing twice.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresModeTests(PostgresServer server)
{
    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-50);
    private static readonly (string Store, string Country)[] Stores = [("sg", "SG"), ("my", "MY")];

    private static object Settings(string country) => new { population = 7, people = 60, ordersPerDay = 10, country, closedOn = ClosedStores.ClosedOn, pageSize = 50 };

    private static Dictionary<string, string> Postgres(string connectionString) => new()
    {
        ["Platform:Database:Provider"] = "Postgres",
        ["ConnectionStrings:Platform"] = connectionString,
    };

    private static async Task<int> TotalAsync(HttpClient api, string url) => (await api.GetJsonAsync(url + (url.Contains('?') ? "&" : "?") + "pageSize=1")).GetProperty("total").GetInt32();

    private static async Task<long> CountRowsAsync(string connectionString, string table)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task On_PostgreSQL_the_host_syncs_unifies_searches_scores_and_a_restart_duplicates_nothing()
    {
        var db = await server.CreateDatabaseAsync($"pgmode_{Guid.NewGuid():N}");
        var data = TestPaths.NewTempDirectory("postgres-mode");
        var expected = new Dictionary<string, (int Orders, int Reviews, int Messages)>();
        foreach (var (store, country) in Stores)
            expected[store] = (
                (await SandboxSource.ReadAllAsync<OrderRecord>(store, Settings(country), StreamName.Orders, Since)).Count,
                (await SandboxSource.ReadAllAsync<ReviewRecord>(store, Settings(country), StreamName.Reviews, Since)).Count,
                (await SandboxSource.ReadAllAsync<ChatMessage>(store, Settings(country), StreamName.Chats, Since)).Count);
        Assert.All(expected.Values, e => Assert.True(e.Orders > 0 && e.Reviews > 0 && e.Messages > 0, $"the sandbox stores should have every kind of record: {e}"));

        int customers;
        string id, email;
        await using (var host = new HostProcess(data, Postgres(db)))
        {
            await host.StartAsync();
            using var api = host.Client();
            await api.CreateMerchantAsync("m");
            foreach (var (store, country) in Stores)
            {
                await api.PutStoreAsync("m", store, Settings(country), Since);
                var runs = await api.SyncAsync("m", store);
                Assert.Equal(3, runs.Length);
            }
            await api.WaitForProfilesAsync("m");

            // Everything the marketplaces hold, once, and in PostgreSQL (no SQLite file was made).
            foreach (var (store, (orders, reviews, messages)) in expected)
            {
                Assert.Equal(orders, await TotalAsync(api, $"/api/v1/merchants/m/orders?store={store}"));
                Assert.Equal(reviews, await TotalAsync(api, $"/api/v1/merchants/m/reviews?store={store}"));
                Assert.Equal(messages, await TotalAsync(api, $"/api/v1/merchants/m/messages?store={store}"));
            }
            var all = expected.Values.Sum(e => e.Orders + e.Reviews + e.Messages);
            Assert.Equal(all, await CountRowsAsync(db, "raw_records"));
            Assert.Equal(expected.Values.Sum(e => e.Orders), await CountRowsAsync(db, "orders"));
            Assert.False(File.Exists(Path.Combine(data, "platform.db")), "Provider=Postgres must not create the SQLite file");

            // Unified: someone is one customer across both stores, and the profile brings the stores together.
            var list = await api.GetAllAsync("/api/v1/merchants/m/customers?sort=orders");
            customers = list.Count;
            Assert.Equal(customers, await CountRowsAsync(db, "customers WHERE merged_into IS NULL AND merchant_id = 'm'"));
            var multi = list.First(c => c.GetProperty("stores").GetArrayLength() == 2 && c.GetProperty("email").ValueKind == JsonValueKind.String
                                        && c.GetProperty("name").ValueKind == JsonValueKind.String);
            id = multi.GetProperty("id").GetString()!;
            var profile = await api.GetJsonAsync($"/api/v1/merchants/m/customers/{id}");
            Assert.Equal(id, profile.GetProperty("id").GetString());
            Assert.Equal(2, profile.GetProperty("stores").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Distinct().Count());
            Assert.Equal(multi.GetProperty("orders").GetInt32(), profile.GetProperty("stats").GetProperty("orders").GetInt32());
            Assert.True(profile.GetProperty("stats").GetProperty("revenue").GetDecimal() > 0);
            var timeline = await api.GetAllAsync($"/api/v1/merchants/m/customers/{id}/timeline");
            Assert.True(timeline.Where(i => i.GetProperty("type").GetString() == "order").Select(i => i.GetProperty("store").GetString()).Distinct().Count() == 2);

            // Search: an email (in capitals), part of a name (trigram index), two letters (a scan), a buyer id; nothing for nonsense.
            async Task<string[]> Search(string q) => (await api.GetAllAsync($"/api/v1/merchants/m/customers?q={Uri.EscapeDataString(q)}"))
                .Select(c => c.GetProperty("id").GetString()!).ToArray();
            email = multi.GetProperty("email").GetString()!;
            Assert.Contains(id, await Search(email.ToUpperInvariant()));
            var name = multi.GetProperty("name").GetString()!;
            var part = name.Split(' ')[^1];
            var partial = part[..Math.Min(4, part.Length)];
            var found = await Search(partial.ToUpperInvariant());
            Assert.Contains(id, found);
            Assert.True(found.Length < customers, $"'{partial}' should not match everyone");
            Assert.Contains(id, await Search(part[..2]));
            var buyer = profile.GetProperty("identities").EnumerateArray().First(i => i.GetProperty("kind").GetString() == "buyer").GetProperty("value").GetString()!;
            Assert.Contains(id, await Search(buyer));
            Assert.Empty(await Search("zzqqxx-nobody"));

            // Service cases were opened from the synced reviews and chats, as on SQLite.
            var cases = await TotalAsync(api, "/api/v1/merchants/m/cases");
            Assert.True(cases > 0);
            Assert.Equal(cases, await CountRowsAsync(db, "cases"));

            // Scoring runs and its results show in the list and the profile.
            await api.ScoreAsync("m");
            var scores = await api.GetJsonAsync("/api/v1/merchants/m/insights/scores");
            Assert.Equal(customers, scores.GetProperty("customers").GetInt32());
            var best = await api.GetJsonAsync("/api/v1/merchants/m/customers?sort=score&pageSize=5");
            Assert.All(best.GetProperty("items").EnumerateArray(), c => Assert.Equal(JsonValueKind.Number, c.GetProperty("score").ValueKind));
            var scored = await api.GetJsonAsync($"/api/v1/merchants/m/customers/{id}");
            Assert.Equal(JsonValueKind.Number, scored.GetProperty("value").GetProperty("score").ValueKind);

            await host.StopAsync();
        }

        // A new host on the same database: the migrations are already applied, a full re-read stores nothing twice.
        await using (var again = new HostProcess(data, Postgres(db)))
        {
            await again.StartAsync();
            using var api = again.Client();
            foreach (var (store, _) in Stores)
            {
                foreach (var stream in new[] { "orders", "reviews", "chats" })
                {
                    var reset = await api.PutJsonAsync($"/api/v1/merchants/m/stores/{store}/cursors/{stream}", new { since = Since });
                    Assert.True(reset.IsSuccessStatusCode, await reset.Content.ReadAsStringAsync());
                }
                var runs = await api.SyncAsync("m", store);
                Assert.All(runs, r => Assert.Equal((0, 0), (r.GetProperty("inserted").GetInt32(), r.GetProperty("updated").GetInt32())));
                Assert.True(runs.Sum(r => r.GetProperty("read").GetInt32()) > 0);
            }
            await api.WaitForProfilesAsync("m");
            foreach (var (store, (orders, reviews, messages)) in expected)
            {
                Assert.Equal(orders, await TotalAsync(api, $"/api/v1/merchants/m/orders?store={store}"));
                Assert.Equal(reviews, await TotalAsync(api, $"/api/v1/merchants/m/reviews?store={store}"));
                Assert.Equal(messages, await TotalAsync(api, $"/api/v1/merchants/m/messages?store={store}"));
            }
            Assert.Equal(expected.Values.Sum(e => e.Orders + e.Reviews + e.Messages), await CountRowsAsync(db, "raw_records"));
            Assert.Equal(customers, await TotalAsync(api, "/api/v1/merchants/m/customers"));
            Assert.Contains((await api.GetJsonAsync($"/api/v1/merchants/m/customers?q={Uri.EscapeDataString(email)}")).GetProperty("items").EnumerateArray(),
                c => c.GetProperty("id").GetString() == id);

            // Manual identity control and erasure work on PostgreSQL too.
            var singles = (await api.GetAllAsync("/api/v1/merchants/m/customers?sort=created")).Where(c => c.GetProperty("stores").GetArrayLength() == 1)
                .Select(c => c.GetProperty("id").GetString()!).Where(c => c != id).Take(3).ToList();
            var merged = await api.PostJsonAsync($"/api/v1/merchants/m/customers/{singles[0]}/merge", new { other = singles[1] });
            Assert.True(merged.IsSuccessStatusCode, await merged.Content.ReadAsStringAsync());
            Assert.Equal(singles[0], (await api.GetJsonAsync($"/api/v1/merchants/m/customers/{singles[1]}")).GetProperty("id").GetString());
            var erased = await api.DeleteAsync($"/api/v1/merchants/m/customers/{singles[2]}");
            Assert.True(erased.IsSuccessStatusCode, await erased.Content.ReadAsStringAsync());
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/merchants/m/customers/{singles[2]}")).StatusCode);
            await api.WaitForProfilesAsync("m");
            Assert.Equal(customers - 2, await TotalAsync(api, "/api/v1/merchants/m/customers"));
        }
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    /// <summary>Each customer as the set of its buyer accounts, with its orders and revenue: comparable across databases.</summary>
    private static async Task<Dictionary<string, string>> CustomersByAccountsAsync(HttpClient api, string query = "")
    {
        var result = new Dictionary<string, string>();
        foreach (var c in await api.GetAllAsync("/api/v1/merchants/m/customers" + query))
        {
            var profile = await api.GetJsonAsync($"/api/v1/merchants/m/customers/{c.GetProperty("id").GetString()}");
            var accounts = string.Join(",", profile.GetProperty("identities").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "buyer")
                .Select(i => $"{i.GetProperty("store").GetString()}/{i.GetProperty("value").GetString()}").Order(StringComparer.Ordinal));
            result[accounts] = $"{c.GetProperty("orders").GetInt32()} orders, {c.GetProperty("revenue").GetDecimal()}";
        }
        return result;
    }

    [Fact]
    public async Task The_same_data_gives_the_same_customers_and_the_same_search_results_on_PostgreSQL_as_on_SQLite()
    {
        // A database that does not exist yet: the host creates it when applying its migrations.
        var db = server.ConnectionString($"pgparity_{Guid.NewGuid():N}");
        await using var sqlite = new HostProcess(TestPaths.NewTempDirectory("parity-sqlite"));
        await using var postgres = new HostProcess(TestPaths.NewTempDirectory("parity-postgres"), Postgres(db));
        await Task.WhenAll(sqlite.StartAsync(), postgres.StartAsync());
        async Task<HttpClient> Load(HostProcess host)
        {
            var api = host.Client();
            await api.CreateMerchantAsync("m");
            foreach (var (store, country) in Stores)
            {
                await api.PutStoreAsync("m", store, Settings(country), Since);
                await api.SyncAsync("m", store, "orders");
            }
            await api.WaitForProfilesAsync("m");
            return api;
        }
        var apis = await Task.WhenAll(Load(sqlite), Load(postgres));
        using var onSqlite = apis[0];
        using var onPostgres = apis[1];

        var expected = await CustomersByAccountsAsync(onSqlite);
        Assert.True(expected.Count > 10);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), (await CustomersByAccountsAsync(onPostgres)).OrderBy(e => e.Key, StringComparer.Ordinal));
        var sample = (await onSqlite.GetJsonAsync("/api/v1/merchants/m/customers?sort=orders&pageSize=1")).GetProperty("items")[0];
        var name = sample.GetProperty("name").GetString() ?? "an";
        string[] queries = ["com", "CO", "a", "zzqqxx", name, name.Split(' ')[^1][..Math.Min(3, name.Split(' ')[^1].Length)], sample.GetProperty("email").GetString() ?? "gmail", "65", "sg"];
        foreach (var q in queries)
        {
            var query = $"?q={Uri.EscapeDataString(q)}";
            Assert.Equal((await CustomersByAccountsAsync(onSqlite, query)).Keys.Order(StringComparer.Ordinal), (await CustomersByAccountsAsync(onPostgres, query)).Keys.Order(StringComparer.Ordinal));
        }
        // The same order of names (code-point order, as SQLite's BINARY collation).
        async Task<string[]> Names(HttpClient api) => (await api.GetAllAsync("/api/v1/merchants/m/customers?sort=name")).Select(c => c.GetProperty("name").GetString() ?? "").ToArray();
        Assert.Equal(await Names(onSqlite), await Names(onPostgres));
    }
}

/// <summary>Bad database configuration stops the host at start, naming the key to fix (no server needed).</summary>
public sealed class PostgresConfigTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Hots=127.0.0.1;Database=platform")] // a misspelt keyword: not an Npgsql connection string
    [InlineData("Database=platform")] // no server
    public async Task Postgres_without_a_usable_connection_string_stops_the_host_naming_ConnectionStrings_Platform(string? connectionString)
    {
        var settings = new Dictionary<string, string> { ["Platform:Database:Provider"] = "Postgres" };
        if (connectionString is not null) settings["ConnectionStrings:Platform"] = connectionString;
        var data = TestPaths.NewTempDirectory("pg-badconfig");
        await using var host = new HostProcess(data, settings);
        await host.StartAsync(waitForReady: false);
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ConnectionStrings:Platform", host.Log);
        Assert.False(File.Exists(Path.Combine(data, "platform.db")));
    }

    [Fact]
    public async Task Postgres_on_a_port_where_no_server_listens_stops_the_host_naming_ConnectionStrings_Platform()
    {
        var settings = new Dictionary<string, string>
        {
            ["Platform:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Platform"] = $"Host=127.0.0.1;Port={TestPaths.FreePort()};Database=platform;Username=platform;Timeout=5",
        };
        await using var host = new HostProcess(TestPaths.NewTempDirectory("pg-noserver"), settings);
        await host.StartAsync(waitForReady: false);
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ConnectionStrings:Platform", host.Log);
        Assert.Contains("127.0.0.1", host.Log);
    }

    [Fact]
    public async Task An_unknown_provider_stops_the_host_naming_the_key_before_any_database_is_made()
    {
        var data = TestPaths.NewTempDirectory("pg-unknown");
        await using var host = new HostProcess(data, new Dictionary<string, string> { ["Platform:Database:Provider"] = "postgresql" });
        await host.StartAsync(waitForReady: false);
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Platform:Database:Provider", host.Log);
        Assert.Contains("'postgresql'", host.Log);
        Assert.False(File.Exists(Path.Combine(data, "platform.db")));
    }
}
