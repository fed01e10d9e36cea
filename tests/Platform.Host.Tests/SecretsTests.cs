using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Secrets through the real host: a store's secret setting (the sandbox's <c>apiToken</c>, <c>x-secret</c> in its
/// manifest) never appears in an API answer, in the host's log (at Debug) or in the database file; merchant API keys
/// are stored as hashes only.
/// </summary>
public sealed class SecretsTests
{
    private const string M = "secrets";

    [Fact]
    public async Task A_store_secret_and_api_keys_never_appear_in_answers_logs_or_the_database()
    {
        var marker = "tok-" + Guid.NewGuid().ToString("N");
        var data = TestPaths.NewTempDirectory("secrets");
        var answers = new StringBuilder();
        string merchantKey;
        await using (var host = new HostProcess(data, new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Debug" }))
        {
            await host.StartAsync();
            using var admin = host.Client();
            await admin.CreateMerchantAsync(M, "SGD");
            var keyResponse = await admin.PostJsonAsync($"/api/v1/merchants/{M}/keys", new { });
            merchantKey = (await keyResponse.ReadJsonAsync()).GetProperty("key").GetString()!;
            using var api = host.Client(merchantKey);

            async Task<string> Answer(HttpResponseMessage response, string what)
            {
                var text = await response.Content.ReadAsStringAsync();
                answers.AppendLine($"{what} {(int)response.StatusCode}: {text}");
                return text;
            }
            var since = DateTimeOffset.UtcNow.AddDays(-20);
            var settings = new { population = 7, people = 25, ordersPerDay = 4, country = "SG", apiToken = marker };
            // A refused PUT (one setting invalid) must not quote the secret either.
            await Answer(await api.PutJsonAsync($"/api/v1/merchants/{M}/stores/bad",
                new { plugin = "sandbox", displayName = "bad", settings = new { population = 7, people = -1, apiToken = marker }, since, schedules = new { }, enabled = true }), "PUT refused");
            var put = await api.PutJsonAsync($"/api/v1/merchants/{M}/stores/s1", new { plugin = "sandbox", displayName = "s1", settings, since, schedules = new { }, enabled = true });
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Contains("\"apiToken\":\"***\"", await Answer(put, "PUT"));
            // A second PUT without the secret keeps it (masked), and a store whose sync fails reports its error.
            await Answer(await api.PutJsonAsync($"/api/v1/merchants/{M}/stores/s1", new { plugin = "sandbox", displayName = "s1 again", settings = new { population = 7, people = 25, ordersPerDay = 4, country = "SG", apiToken = "***" }, since, schedules = new { }, enabled = true }), "PUT again");
            await api.PutStoreAsync(M, "failing", new { population = 8, people = 10, ordersPerDay = 4, country = "SG", apiToken = marker, failAtPage = 1 }, since);
            await api.SyncAsync(M, "s1");
            var failing = await api.StartSyncAsync(M, "failing", "orders");
            var failed = await api.WaitForRunsAsync(M, "failing", failing);
            Assert.Equal("failed", failed.Single().GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(failed.Single().GetProperty("error").GetString()));

            foreach (var url in new[]
                     {
                         "/api/v1/plugins", "/api/v1/me", $"/api/v1/merchants/{M}", $"/api/v1/merchants/{M}/stores", $"/api/v1/merchants/{M}/stores/s1",
                         $"/api/v1/merchants/{M}/stores/s1/runs", $"/api/v1/merchants/{M}/stores/s1/cursors", $"/api/v1/merchants/{M}/stores/failing",
                         $"/api/v1/merchants/{M}/stores/failing/runs", $"/api/v1/merchants/{M}/customers", $"/api/v1/merchants/{M}/orders",
                         $"/api/v1/merchants/{M}/messages", "/health/ready",
                     })
                await Answer(await api.GetAsync(url), "GET " + url);
            await Answer(await api.PostAsync($"/api/v1/merchants/{M}/stores/s1/check", null), "POST check");
            await Answer(await admin.GetAsync("/api/v1/merchants"), "GET merchants (admin)");
            await Answer(await admin.GetAsync($"/api/v1/merchants/{M}/stores/s1"), "GET store (admin)");

            Assert.Contains("***", answers.ToString());
            await host.StopAsync();
            Assert.DoesNotContain(marker, answers.ToString());
            Assert.True(host.Log.Length > 0);
            Assert.DoesNotContain(marker, host.Log);
            Assert.DoesNotContain(merchantKey, host.Log);
            Assert.DoesNotContain(HostProcess.AdminKey, host.Log);
        }

        // At rest: the secret is encrypted and API keys are hashed (the whole file, WAL included, and the api_keys rows).
        foreach (var file in Directory.GetFiles(data, "platform.db*"))
        {
            var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(marker, bytes);
            Assert.DoesNotContain(merchantKey, bytes);
        }
        var secretPart = merchantKey[$"mk_{M}_".Length..];
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "platform.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT * FROM api_keys";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
                Assert.DoesNotContain(merchantKey, value);
                // A short prefix identifies the key in lists; the rest of its secret is nowhere.
                Assert.DoesNotContain(secretPart[4..], value);
            }
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(merchantKey))), reader.GetString(reader.GetOrdinal("hash")));
        }
        Assert.Equal(1, rows);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
