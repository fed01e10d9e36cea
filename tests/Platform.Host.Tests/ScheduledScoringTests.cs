using System.Net;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The scheduled full scoring (Quartz, <c>Platform:Value:ScoringCron</c>) refits the model on today's data and scores
/// every customer, with nothing else asking: rescoring after syncs is held back for an hour here.
/// </summary>
public sealed class ScheduledScoringTests(ScheduledScoringTests.Fixture fixture) : IClassFixture<ScheduledScoringTests.Fixture>
{
    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Platform:Value:ScoringCron"] = "0/2 * * * * ?",
            ["Platform:Value:RescoreQuietSeconds"] = "3600",
        };
    }

    [Fact]
    public async Task The_schedule_refits_and_scores_every_merchant()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("nightly");
        await api.PutStoreAsync("nightly", "s1", new { population = 91, people = 30, ordersPerDay = 5, country = "SG", closedOn = ClosedStores.ClosedOn },
            ClosedStores.Today.AddDays(-60));
        await api.SyncAsync("nightly", "s1", "orders");
        await api.WaitForProfilesAsync("nightly");
        var customers = (await api.GetJsonAsync("/api/v1/merchants/nightly/customers")).GetProperty("total").GetInt32();

        await Eventually.Until(async () =>
        {
            var scores = await api.GetAsync("/api/v1/merchants/nightly/insights/scores");
            return scores.StatusCode == HttpStatusCode.OK && (await scores.ReadJsonAsync()).GetProperty("customers").GetInt32() == customers;
        }, TimeSpan.FromSeconds(60), () => $"the scheduled scoring did not score the {customers} customers\n{fixture.Host.Log}");
        var model = await api.GetJsonAsync("/api/v1/merchants/nightly/insights/model");
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), model.GetProperty("calibrationEnd").GetString());
        var someone = (await api.GetJsonAsync("/api/v1/merchants/nightly/customers?pageSize=1")).GetProperty("items")[0];
        Assert.False(string.IsNullOrEmpty(someone.GetProperty("tier").GetString()));
    }
}
