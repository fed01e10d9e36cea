using System.Net;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Scores, segments and member tiers through the real host, with tiers from configuration: each customer's tier is
/// checked against the spend the test sums itself from the orders API; list filters and sorts, the profile's value
/// and tier blocks, the timeline's tier events and the insights summary agree with each other.
/// </summary>
public sealed class ScoringTests(ScoringTests.Fixture fixture) : IClassFixture<ScoringTests.Fixture>
{
    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => Tiers(gold: 150, platinum: 400, diamond: 800, graceDays: 90);
    }

    private static readonly string[] Revenue = ["paid", "shipped", "delivered", "completed"];
    private static readonly string[] TierNames = ["Mass", "Gold", "Platinum", "Diamond"];

    /// <summary>Tier thresholds as configuration keys (the names stay appsettings.json's).</summary>
    public static Dictionary<string, string> Tiers(decimal gold, decimal platinum, decimal diamond, int graceDays) => new()
    {
        ["Platform:Value:Tiers:GraceDays"] = graceDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Platform:Value:Tiers:Levels:1:MinSpend"] = gold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Platform:Value:Tiers:Levels:2:MinSpend"] = platinum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Platform:Value:Tiers:Levels:3:MinSpend"] = diamond.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Every_customer_gets_the_tier_their_spend_reaches_and_the_lists_filters_and_profile_agree()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("score");
        await api.PutStoreAsync("score", "s1", new { population = 61, people = 80, ordersPerDay = 8, country = "SG", closedOn = ClosedStores.ClosedOn, pageSize = 200 },
            ClosedStores.Today.AddDays(-100));
        await api.SyncAsync("score", "s1");
        await api.WaitForProfilesAsync("score");

        var response = await api.PostJsonAsync("/api/v1/merchants/score/insights/scores", new { review = false });
        var scored = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, scored.ToString());
        var customers = await api.GetAllAsync("/api/v1/merchants/score/customers");
        Assert.Equal(customers.Count, scored.GetProperty("customers").GetInt32());

        // Spend per customer from the orders API (a USD store: no conversion); all of it is within 12 months.
        var spend = (await api.GetAllAsync("/api/v1/merchants/score/orders"))
            .Where(o => Revenue.Contains(o.GetProperty("status").GetString()))
            .GroupBy(o => o.GetProperty("customer").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(o => o.GetProperty("total").GetDecimal()));
        decimal[] thresholds = [0, 150, 400, 800];
        string Expected(string id) => TierNames[Array.FindLastIndex(thresholds, t => spend.GetValueOrDefault(id) >= t)];
        foreach (var c in customers)
            Assert.Equal(Expected(c.GetProperty("id").GetString()!), c.GetProperty("tier").GetString());
        var byTier = customers.GroupBy(c => c.GetProperty("tier").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byTier.Count >= 2, $"the data should reach at least two tiers: {string.Join(", ", byTier)}");

        // The insights summary and the tier filter count the same.
        var summary = await api.GetJsonAsync("/api/v1/merchants/score/insights/scores");
        foreach (var tier in summary.GetProperty("tiers").EnumerateArray())
        {
            var name = tier.GetProperty("name").GetString()!;
            Assert.Equal(byTier.GetValueOrDefault(name), tier.GetProperty("customers").GetInt32());
            var filtered = await api.GetAllAsync($"/api/v1/merchants/score/customers?tier={name.ToLowerInvariant()}");
            Assert.Equal(byTier.GetValueOrDefault(name), filtered.Count);
            Assert.All(filtered, c => Assert.Equal(name, c.GetProperty("tier").GetString()));
        }

        // Segments: customers with a purchase have one; the filter finds exactly them.
        var segments = customers.Where(c => c.GetProperty("segment").ValueKind == JsonValueKind.String)
            .GroupBy(c => c.GetProperty("segment").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(spend.Count, segments.Values.Sum());
        var (segment, count) = segments.OrderByDescending(kv => kv.Value).First();
        var inSegment = await api.GetAllAsync($"/api/v1/merchants/score/customers?segment={segment}");
        Assert.Equal(count, inSegment.Count);
        Assert.Equal(count, summary.GetProperty("segments").GetProperty(segment).GetInt32());

        // Sort by score: best first.
        var byScore = (await api.GetJsonAsync("/api/v1/merchants/score/customers?sort=score&pageSize=500")).GetProperty("items").EnumerateArray()
            .Select(c => c.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(byScore.OrderByDescending(x => x), byScore);
        Assert.True(byScore.Distinct().Count() > 5);

        // The profile shows the tier with what is next, and each dimension with its inputs.
        var top = customers.OrderByDescending(c => spend.GetValueOrDefault(c.GetProperty("id").GetString()!)).First();
        var topId = top.GetProperty("id").GetString()!;
        var profile = await api.GetJsonAsync($"/api/v1/merchants/score/customers/{topId}");
        var tierBlock = profile.GetProperty("tier");
        Assert.Equal(Expected(topId), tierBlock.GetProperty("name").GetString());
        Assert.Equal(spend[topId], tierBlock.GetProperty("spend12Months").GetDecimal());
        var index = Array.IndexOf(TierNames, Expected(topId));
        if (index < 3) Assert.Equal(thresholds[index + 1] - spend[topId], tierBlock.GetProperty("spendToNextTier").GetDecimal());
        var value = profile.GetProperty("value");
        var dimensions = value.GetProperty("dimensions");
        foreach (var d in new[] { "current", "future", "credit", "loyalty", "growth", "eValue" })
        {
            Assert.InRange(dimensions.GetProperty(d).GetProperty("score").GetDouble(), 0, 100);
            Assert.NotEmpty(dimensions.GetProperty(d).GetProperty("inputs").EnumerateObject());
        }
        Assert.Equal(spend[topId], dimensions.GetProperty("current").GetProperty("inputs").GetProperty("spend12Months").GetDecimal());
        Assert.Contains(value.GetProperty("credit").GetString(), new[] { "A", "B", "C", "D" });
        Assert.InRange(value.GetProperty("score").GetDouble(), 0, 100);
        Assert.Equal(top.GetProperty("segment").GetString(), value.GetProperty("rfm").GetProperty("segment").GetString());
        Assert.NotEqual("none", value.GetProperty("modelStatus").GetString()); // the first scoring fitted a model

        // A customer above the lowest tier has the change on their timeline, with the reason.
        if (index > 0)
        {
            var timeline = await api.GetAllAsync($"/api/v1/merchants/score/customers/{topId}/timeline");
            var tierEvents = timeline.Where(i => i.GetProperty("type").GetString() == "tier").Select(i => i.GetProperty("summary").GetString()!).ToList();
            Assert.Contains(tierEvents, e => e.Contains(TierNames[index], StringComparison.Ordinal) && e.Contains("USD", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Bad_filters_are_refused_naming_the_field()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("score-bad");
        var tier = await api.GetAsync("/api/v1/merchants/score-bad/customers?tier=Bronze");
        Assert.Equal(HttpStatusCode.BadRequest, tier.StatusCode);
        Assert.Contains("Mass, Gold, Platinum, Diamond", (await tier.ReadJsonAsync()).GetProperty("errors").GetProperty("tier")[0].GetString());
        var segment = await api.GetAsync("/api/v1/merchants/score-bad/customers?segment=vip");
        Assert.Equal(HttpStatusCode.BadRequest, segment.StatusCode);
        Assert.Contains("champions", (await segment.ReadJsonAsync()).GetProperty("errors").GetProperty("segment")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/merchants/score-bad/customers?segment=can't%20lose")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/merchants/score-bad/insights/scores")).StatusCode);
    }
}
