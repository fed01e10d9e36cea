using System.Net;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The care list through the real host: replenishment dates checked against the SKU intervals the test computes
/// itself from the orders API, festival campaigns from configuration for the tiers they target, the list's order
/// and window, and bad parameters refused.
/// </summary>
public sealed class CareTests(CareTests.Fixture fixture) : IClassFixture<CareTests.Fixture>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Platform:Value:Tiers:Levels:1:MinSpend"] = "1", // everyone who bought is Gold
            ["Platform:Value:Care:ReplenishmentMinRepeats"] = "3",
            ["Platform:Value:Care:StaleDays"] = "60",
            ["Platform:Value:Care:Festivals:0:Name"] = "Mid-Autumn",
            ["Platform:Value:Care:Festivals:0:Date"] = Today.AddDays(10).ToString("yyyy-MM-dd"),
            ["Platform:Value:Care:Festivals:0:LeadDays"] = "14",
            ["Platform:Value:Care:Festivals:1:Name"] = "Far away",
            ["Platform:Value:Care:Festivals:1:Date"] = Today.AddDays(200).ToString("yyyy-MM-dd"),
        };
    }

    private static readonly string[] Revenue = ["paid", "shipped", "delivered", "completed"];

    [Fact]
    public async Task Replenishment_and_festival_moments_are_due_with_their_reasons()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("care");
        await api.PutStoreAsync("care", "s1", new { population = 81, people = 25, ordersPerDay = 6, country = "SG", closedOn = ClosedStores.ClosedOn },
            ClosedStores.Today.AddDays(-120));
        await api.SyncAsync("care", "s1", "orders");
        await api.WaitForProfilesAsync("care");
        await api.ScoreAsync("care");
        var due = Today.AddDays(30);

        var all = await api.GetAllAsync($"/api/v1/merchants/care/care?due={due:yyyy-MM-dd}");
        var days = all.Select(i => DateOnly.Parse(i.GetProperty("dueOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(days.Order(), days);
        Assert.All(days, d => Assert.InRange(d, Today.AddDays(-60), due));

        // Festival: every member above the lowest tier (no tiers configured for it), due 14 days before; the festival
        // 200 days away is not due yet.
        var gold = (await api.GetAllAsync("/api/v1/merchants/care/customers")).Where(c => c.GetProperty("tier").GetString() is not (null or "Mass")).ToList();
        Assert.NotEmpty(gold);
        var festival = await api.GetAllAsync($"/api/v1/merchants/care/care?type=festival&due={due:yyyy-MM-dd}");
        Assert.Equal(gold.Select(c => c.GetProperty("id").GetString()).Order(), festival.Select(i => i.GetProperty("customer").GetString()).Order());
        Assert.All(festival, i => Assert.StartsWith($"Mid-Autumn on {Today.AddDays(10):yyyy-MM-dd}", i.GetProperty("reason").GetString()));
        Assert.All(festival, i => Assert.Equal(Today.AddDays(-4).ToString("yyyy-MM-dd"), i.GetProperty("dueOn").GetString()));

        // Replenishment: recomputed here from the orders API.
        var purchases = (await api.GetAllAsync("/api/v1/merchants/care/orders"))
            .Where(o => Revenue.Contains(o.GetProperty("status").GetString()))
            .SelectMany(o => o.GetProperty("lines").EnumerateArray().Select(l => (Customer: o.GetProperty("customer").GetString()!, Sku: l.GetProperty("sku").GetString()!,
                Day: DateOnly.FromDateTime(o.GetProperty("createdAt").GetDateTimeOffset().UtcDateTime))))
            .ToList();
        var gaps = purchases.GroupBy(p => (p.Customer, p.Sku))
            .SelectMany(g => g.Select(p => p.Day).Distinct().Order().ToList() is var d ? d.Skip(1).Select((day, i) => (g.Key.Sku, Gap: day.DayNumber - d[i].DayNumber)) : [])
            .GroupBy(x => x.Sku).Where(g => g.Count() >= 3).ToDictionary(g => g.Key, g => Median(g.Select(x => x.Gap).ToList()));
        var replenish = await api.GetAllAsync($"/api/v1/merchants/care/care?type=replenishment&due={due:yyyy-MM-dd}");
        Assert.NotEmpty(replenish);
        foreach (var item in replenish)
        {
            var customer = item.GetProperty("customer").GetString()!;
            var sku = item.GetProperty("numbers").GetProperty("sku").GetString()!;
            var last = purchases.Where(p => p.Customer == customer && p.Sku == sku).Max(p => p.Day);
            Assert.Equal(last.AddDays((int)Math.Round(gaps[sku])).ToString("yyyy-MM-dd"), item.GetProperty("dueOn").GetString());
            Assert.Contains($"bought {sku} last on {last:yyyy-MM-dd}", item.GetProperty("reason").GetString());
        }
        // Every replenishment due in the window is listed.
        var expected = purchases.Where(p => gaps.ContainsKey(p.Sku)).GroupBy(p => (p.Customer, p.Sku))
            .Count(g => g.Max(p => p.Day).AddDays((int)Math.Round(gaps[g.Key.Sku])) is var d && d <= due && d >= Today.AddDays(-60));
        Assert.Equal(expected, replenish.Count);
    }

    [Fact]
    public async Task Bad_parameters_are_refused_naming_the_field()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("care-bad");
        var type = await api.GetAsync("/api/v1/merchants/care-bad/care?type=birthdays");
        Assert.Equal(HttpStatusCode.BadRequest, type.StatusCode);
        Assert.Contains("replenishment", (await type.ReadJsonAsync()).GetProperty("errors").GetProperty("type")[0].GetString());
        var due = await api.GetAsync("/api/v1/merchants/care-bad/care?due=next-week");
        Assert.Equal(HttpStatusCode.BadRequest, due.StatusCode);
        Assert.True((await due.ReadJsonAsync()).GetProperty("errors").TryGetProperty("due", out _));
        Assert.Equal(0, (await api.GetJsonAsync("/api/v1/merchants/care-bad/care")).GetProperty("total").GetInt32());
    }

    private static double Median(List<int> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2.0;
    }
}
