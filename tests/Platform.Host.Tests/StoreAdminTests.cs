using System.Net;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>Pausing and resuming a store through the real host: no schedule and no sync while paused, both back after.</summary>
public sealed class StoreAdminTests(StoreAdminTests.Fixture fixture) : IClassFixture<StoreAdminTests.Fixture>
{
    public sealed class Fixture : HostFixture;

    [Fact]
    public async Task A_paused_store_has_no_schedule_and_refuses_syncs_until_it_is_resumed()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("pause");
        await api.PutStoreAsync("pause", "s1", new { population = 3, people = 20, ordersPerDay = 5, country = "SG" }, DateTimeOffset.UtcNow.AddDays(-10),
            new { orders = "0 0 3 * * ?" });
        Assert.True((await api.GetJsonAsync("/api/v1/merchants/pause/stores/s1")).GetProperty("nextRuns").TryGetProperty("orders", out _));

        var paused = await api.PostAsync("/api/v1/merchants/pause/stores/s1/pause", null);
        var view = await paused.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Empty(view.GetProperty("nextRuns").EnumerateObject());
        var refused = await api.PostAsync("/api/v1/merchants/pause/stores/s1/sync", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("paused", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        // Pausing twice is harmless.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/merchants/pause/stores/s1/pause", null)).StatusCode);

        var resumed = await (await api.PostAsync("/api/v1/merchants/pause/stores/s1/resume", null)).ReadJsonAsync();
        Assert.True(resumed.GetProperty("enabled").GetBoolean());
        Assert.True(resumed.GetProperty("nextRuns").TryGetProperty("orders", out _));
        var runs = await api.SyncAsync("pause", "s1", "orders");
        Assert.True(runs[0].GetProperty("read").GetInt32() > 0);

        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/merchants/pause/stores/nope/pause", null)).StatusCode);
        await api.CreateMerchantAsync("pause-other");
        var key = (await (await api.PostAsync("/api/v1/merchants/pause-other/keys", null)).ReadJsonAsync()).GetProperty("key").GetString();
        using var other = fixture.Host.Client(key);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("/api/v1/merchants/pause/stores/s1/pause", null)).StatusCode);
    }
}
