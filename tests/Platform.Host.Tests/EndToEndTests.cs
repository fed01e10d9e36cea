using System.Net;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>The host as a new user starts it: embedded default with the demo merchant.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task The_demo_syncs_on_its_own_and_serves_unified_customers_and_a_restart_keeps_everything()
    {
        var data = TestPaths.NewTempDirectory("demo");
        var demo = new Dictionary<string, string> { ["Platform:Demo:Enabled"] = "true" };
        int orders, customers;
        string someone;
        await using (var host = new HostProcess(data, demo))
        {
            await host.StartAsync();
            using var api = host.Client();
            var stores = await api.GetJsonAsync("/api/v1/merchants/demo/stores");
            Assert.Equal(3, stores.GetProperty("total").GetInt32());

            // The first backfill starts by itself; wait for customers known in two stores or more.
            System.Text.Json.JsonElement multi = default;
            await Eventually.Until(async () =>
            {
                var page = await api.GetJsonAsync("/api/v1/merchants/demo/customers?sort=orders&pageSize=50");
                multi = page.GetProperty("items").EnumerateArray().FirstOrDefault(c => c.GetProperty("stores").GetArrayLength() >= 2);
                return multi.ValueKind != System.Text.Json.JsonValueKind.Undefined;
            }, TimeSpan.FromSeconds(120), () => "no customer with orders from two stores:\n" + host.Log);
            someone = multi.GetProperty("id").GetString()!;
            var timeline = await api.GetAllAsync($"/api/v1/merchants/demo/customers/{someone}/timeline");
            Assert.True(timeline.Where(i => i.GetProperty("type").GetString() == "order").Select(i => i.GetProperty("store").GetString()).Distinct().Count() >= 2);

            foreach (var store in new[] { "sandbox-sg", "sandbox-my", "sandbox-us" })
                await Eventually.Until(async () => (await api.GetJsonAsync($"/api/v1/merchants/demo/stores/{store}/runs")).GetProperty("items")
                    .EnumerateArray().Count(r => r.GetProperty("status").GetString() == "succeeded") >= 3, TimeSpan.FromSeconds(120));
            await api.WaitForProfilesAsync("demo");
            orders = (await api.GetJsonAsync("/api/v1/merchants/demo/orders?pageSize=1")).GetProperty("total").GetInt32();
            customers = (await api.GetJsonAsync("/api/v1/merchants/demo/customers?pageSize=1")).GetProperty("total").GetInt32();
            Assert.True(orders > 1000);
            await host.StopAsync();
        }

        await using (var again = new HostProcess(data, demo))
        {
            await again.StartAsync();
            using var api = again.Client();
            Assert.Equal(3, (await api.GetJsonAsync("/api/v1/merchants/demo/stores")).GetProperty("total").GetInt32());
            var ids = await api.StartSyncAsync("demo", "sandbox-sg", "orders");
            var run = Assert.Single(await api.WaitForRunsAsync("demo", "sandbox-sg", ids));
            Assert.True(run.GetProperty("read").GetInt32() < orders / 10, $"the restart read from scratch: {run}");
            Assert.True((await api.GetJsonAsync("/api/v1/merchants/demo/orders?pageSize=1")).GetProperty("total").GetInt32() >= orders);
            var after = (await api.GetJsonAsync("/api/v1/merchants/demo/customers?pageSize=1")).GetProperty("total").GetInt32();
            Assert.InRange(after, customers, customers + 5);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/merchants/demo/customers/{someone}")).StatusCode);
            Assert.DoesNotContain("Generated the admin API key", again.Log);
        }
    }

    [Fact]
    public async Task The_generated_admin_key_is_printed_once_and_saved()
    {
        var data = TestPaths.NewTempDirectory("adminkey");
        var settings = new Dictionary<string, string> { ["Platform:AdminKey"] = "" };
        await using var host = new HostProcess(data, settings);
        await host.StartAsync();
        var key = (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim();
        Assert.Contains(key, host.Log);
        Assert.Equal(HttpStatusCode.OK, (await host.Client(key).GetAsync("/api/v1/plugins")).StatusCode);
    }

    [Fact]
    public async Task Api_reference_and_openapi_document_are_served()
    {
        await using var host = new HostProcess(TestPaths.NewTempDirectory("openapi"));
        await host.StartAsync();
        using var anonymous = host.Client(null);
        var doc = await anonymous.GetJsonAsync("/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/merchants/{m}/customers", out _));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/docs")).StatusCode);
    }
}
