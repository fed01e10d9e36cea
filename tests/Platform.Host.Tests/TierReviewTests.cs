using System.Net;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Tier downgrades through the real host: members keep their tier between reviews and through a review still in
/// their grace, and lose it only at a review after the grace, with the reason on their timeline. The spend falls
/// below the tier by raising the thresholds in configuration between restarts over the same database.
/// </summary>
public sealed class TierReviewTests
{
    [Fact]
    public async Task A_member_below_their_tier_keeps_it_until_a_review_after_the_grace()
    {
        var data = TestPaths.NewTempDirectory("tier-review");
        var gold = new List<string>();
        await using (var first = new HostProcess(data, ScoringTests.Tiers(gold: 100, platinum: 100_000, diamond: 200_000, graceDays: 30)))
        {
            await first.StartAsync();
            using var api = first.Client();
            await api.CreateMerchantAsync("rev");
            await api.PutStoreAsync("rev", "s1", new { population = 62, people = 40, ordersPerDay = 6, country = "SG", closedOn = ClosedStores.ClosedOn },
                ClosedStores.Today.AddDays(-80));
            await api.SyncAsync("rev", "s1", "orders");
            await api.WaitForProfilesAsync("rev");
            await api.ScoreAsync("rev", review: true);
            gold.AddRange((await api.GetAllAsync("/api/v1/merchants/rev/customers?tier=Gold")).Select(c => c.GetProperty("id").GetString()!));
            Assert.NotEmpty(gold);
            await first.StopAsync();
        }

        // Gold now needs far more than anyone spent: everyone is below it, within a grace of 30 days.
        await using (var second = new HostProcess(data, ScoringTests.Tiers(gold: 90_000, platinum: 100_000, diamond: 200_000, graceDays: 30)))
        {
            await second.StartAsync();
            using var api = second.Client();
            await api.ScoreAsync("rev", review: false);
            await api.ScoreAsync("rev", review: true);
            foreach (var id in gold)
            {
                var tier = (await api.GetJsonAsync($"/api/v1/merchants/rev/customers/{id}")).GetProperty("tier");
                Assert.Equal("Gold", tier.GetProperty("name").GetString());
                Assert.Equal(JsonValueKind.String, tier.GetProperty("belowSince").ValueKind);
                Assert.True(tier.GetProperty("downgradeReviewFrom").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(29));
            }
            await second.StopAsync();
        }

        // No grace: the next review downgrades them, and says why.
        await using var third = new HostProcess(data, ScoringTests.Tiers(gold: 90_000, platinum: 100_000, diamond: 200_000, graceDays: 0));
        await third.StartAsync();
        using var client = third.Client();
        await client.ScoreAsync("rev", review: false);
        Assert.Equal(gold.Count, (await client.GetAllAsync("/api/v1/merchants/rev/customers?tier=Gold")).Count); // not at a review
        var reviewed = await client.ScoreAsync("rev", review: true);
        Assert.Equal(gold.Count, reviewed.GetProperty("tierChanges").GetInt32());
        Assert.Empty(await client.GetAllAsync("/api/v1/merchants/rev/customers?tier=Gold"));
        foreach (var id in gold)
        {
            var timeline = await client.GetAllAsync($"/api/v1/merchants/rev/customers/{id}/timeline");
            var tierEvents = timeline.Where(i => i.GetProperty("type").GetString() == "tier").Select(i => i.GetProperty("summary").GetString()!).ToList();
            Assert.Contains(tierEvents, e => e.StartsWith("downgraded from Gold to Mass at the periodic review", StringComparison.Ordinal));
            Assert.Contains(tierEvents, e => e.StartsWith("joined Gold", StringComparison.Ordinal));
        }
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
