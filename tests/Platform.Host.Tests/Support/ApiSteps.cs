using System.Net;
using System.Text.Json;
using Xunit;

namespace Platform.Host.Tests.Support;

/// <summary>What a merchant does through the API, as reusable steps.</summary>
public static class ApiSteps
{
    public static async Task CreateMerchantAsync(this HttpClient admin, string id, string currency = "USD")
    {
        var response = await admin.PostJsonAsync("/api/v1/merchants", new { id, name = $"Merchant {id}", currency });
        Assert.True(response.StatusCode is HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> PutStoreAsync(this HttpClient client, string merchant, string store, object settings,
        DateTimeOffset since, object? schedules = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PutJsonAsync($"/api/v1/merchants/{merchant}/stores/{store}",
            new { plugin = "sandbox", displayName = store, settings, since, schedules = schedules ?? new { }, enabled = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"PUT store answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>POST sync; returns the run ids started (or already running).</summary>
    public static async Task<long[]> StartSyncAsync(this HttpClient client, string merchant, string store, string? stream = null)
    {
        var response = await client.PostAsync($"/api/v1/merchants/{merchant}/stores/{store}/sync" + (stream is null ? "" : $"?stream={stream}"), null);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        return body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToArray();
    }

    /// <summary>Waits until the runs finished and the merchant's profiles caught up; returns the runs.</summary>
    public static async Task<JsonElement[]> WaitForRunsAsync(this HttpClient client, string merchant, string store, long[] runIds, TimeSpan? timeout = null)
    {
        JsonElement[] runs = [];
        await Eventually.Until(async () =>
        {
            var all = await client.GetJsonAsync($"/api/v1/merchants/{merchant}/stores/{store}/runs?pageSize=500");
            runs = all.GetProperty("items").EnumerateArray().Where(r => runIds.Contains(r.GetProperty("id").GetInt64())).ToArray();
            return runs.Length == runIds.Length && runs.All(r => r.GetProperty("status").GetString() != "running");
        }, timeout ?? TimeSpan.FromSeconds(120), () => $"runs {string.Join(",", runIds)} of {store} did not finish");
        await WaitForProfilesAsync(client, merchant);
        return runs;
    }

    public static async Task WaitForProfilesAsync(this HttpClient client, string merchant) =>
        await Eventually.Until(async () => (await client.GetJsonAsync($"/api/v1/merchants/{merchant}")).GetProperty("pendingEvents").GetInt32() == 0,
            TimeSpan.FromSeconds(120), () => $"profiles of {merchant} did not catch up");

    public static async Task<JsonElement[]> SyncAsync(this HttpClient client, string merchant, string store, string? stream = null)
    {
        var ids = await client.StartSyncAsync(merchant, store, stream);
        var runs = await client.WaitForRunsAsync(merchant, store, ids);
        foreach (var run in runs)
            Assert.True(run.GetProperty("status").GetString() == "succeeded", $"run failed: {run}");
        return runs;
    }

    /// <summary>Scores every customer of the merchant now (<c>POST /insights/scores</c>) and returns what the scoring did.</summary>
    public static async Task<JsonElement> ScoreAsync(this HttpClient client, string merchant, bool review = false)
    {
        var response = await client.PostJsonAsync($"/api/v1/merchants/{merchant}/insights/scores", new { review });
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, body.ToString());
        return body;
    }

    /// <summary>Every item of a paged list endpoint.</summary>
    public static async Task<List<JsonElement>> GetAllAsync(this HttpClient client, string url)
    {
        var items = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var separator = url.Contains('?') ? '&' : '?';
            var body = await client.GetJsonAsync($"{url}{separator}page={page}&pageSize=500");
            var batch = body.GetProperty("items").EnumerateArray().ToList();
            items.AddRange(batch);
            if (items.Count >= body.GetProperty("total").GetInt32() || batch.Count == 0) return items;
        }
    }
}
