using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>A merchant with more customers than <c>Platform:Value:FitSampleSize</c> is fitted on a fixed sample, and the report says so.</summary>
public sealed class FitSampleTests(FitSampleTests.Fixture fixture) : IClassFixture<FitSampleTests.Fixture>
{
    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["Platform:Value:FitSampleSize"] = "40" };
    }

    [Fact]
    public async Task The_model_is_fitted_on_the_same_sample_every_time()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("sample");
        await api.PutStoreAsync("sample", "s1", new { population = 95, people = 90, ordersPerDay = 8, country = "SG", closedOn = ClosedStores.ClosedOn },
            ClosedStores.Today.AddDays(-90));
        await api.SyncAsync("sample", "s1", "orders");
        await api.WaitForProfilesAsync("sample");
        var buyers = (await api.GetAllAsync("/api/v1/merchants/sample/orders")).Select(o => o.GetProperty("customer").GetString()).Distinct().Count();
        Assert.True(buyers > 40);

        var first = await (await api.PostJsonAsync("/api/v1/merchants/sample/insights/model/fit", new { })).ReadJsonAsync();
        var second = await (await api.PostJsonAsync("/api/v1/merchants/sample/insights/model/fit", new { })).ReadJsonAsync();
        Assert.Equal(40, first.GetProperty("customers").GetInt32());
        Assert.InRange(first.GetProperty("sampledFrom").GetInt32(), 41, buyers);
        Assert.Equal(first.GetProperty("spend").ToString(), second.GetProperty("spend").ToString());
        Assert.Equal(first.GetProperty("purchases").ToString(), second.GetProperty("purchases").ToString());
    }
}
