using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Identity batches far smaller than a run: the run asks for full batches as it goes and for the rest at its end;
/// every account ends up resolved once and every order is counted once, as with one batch.
/// </summary>
public sealed class DispatchBatchTests(DispatchBatchTests.Fixture fixture) : IClassFixture<DispatchBatchTests.Fixture>
{
    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["Platform:Sync:DispatchBatchSize"] = "37" };
    }

    [Fact]
    public async Task Small_batches_resolve_every_account_and_count_every_order_once()
    {
        using var api = fixture.Host.Client();
        var since = ClosedStores.Today.AddDays(-50);
        await api.CreateMerchantAsync("batches");
        foreach (var store in new[] { "b1", "b2" })
            await api.PutStoreAsync("batches", store, new { population = 31, people = 80, ordersPerDay = 12, country = "SG", closedOn = ClosedStores.ClosedOn, pageSize = 25 }, since);
        await api.SyncAsync("batches", "b1", "orders");
        await api.SyncAsync("batches", "b2", "orders");
        await api.WaitForProfilesAsync("batches");

        var orders = await api.GetAllAsync("/api/v1/merchants/batches/orders");
        Assert.True(orders.Count > 37 * 5, $"only {orders.Count} orders: the test needs many batches");
        Assert.All(orders, o => Assert.False(string.IsNullOrEmpty(o.GetProperty("customer").GetString())));
        var customers = await api.GetAllAsync("/api/v1/merchants/batches/customers");
        Assert.Equal(orders.Count(o => o.GetProperty("status").GetString() != "cancelled"), customers.Sum(c => c.GetProperty("orders").GetInt32()));
        // Both stores' accounts of one person meet in one customer.
        Assert.Contains(customers, c => c.GetProperty("stores").GetArrayLength() == 2);
    }
}
