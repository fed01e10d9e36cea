using System.Net;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The merchant's value model through the real host: fitted on the stored orders, checked against a holdout whose
/// actual repeat purchases the test counts itself from the orders API, kept for <c>GET /insights/model</c>, and used
/// for the profile's <c>value</c>; bad dates are refused and a merchant without data gets "notEnoughData".
/// </summary>
public sealed class ValueModelTests(ValueModelTests.Fixture fixture) : IClassFixture<ValueModelTests.Fixture>
{
    public sealed class Fixture : HostFixture;

    private static readonly string[] Revenue = ["paid", "shipped", "delivered", "completed"];
    private static readonly DateOnly Today = DateOnly.FromDateTime(ClosedStores.Today.UtcDateTime);

    [Fact]
    public async Task A_fit_on_stored_orders_reports_parameters_and_a_holdout_and_values_each_profile()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("val");
        var none = await api.GetAsync("/api/v1/merchants/val/insights/model");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("model/fit", (await none.ReadJsonAsync()).GetProperty("detail").GetString());
        await api.PutStoreAsync("val", "s1", new { population = 41, people = 600, ordersPerDay = 40, country = "SG", closedOn = ClosedStores.ClosedOn, churnDays = 200, pageSize = 500 },
            ClosedStores.Today.AddDays(-150));
        await api.SyncAsync("val", "s1", "orders");
        await api.WaitForProfilesAsync("val");

        var calibrationEnd = Today.AddDays(-80);
        var holdoutEnd = Today.AddDays(-36);
        var fit = await api.PostJsonAsync("/api/v1/merchants/val/insights/model/fit",
            new { calibrationEnd = calibrationEnd.ToString("yyyy-MM-dd"), holdoutEnd = holdoutEnd.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, fit.StatusCode);
        var report = await fit.ReadJsonAsync();
        // The sandbox's churning shoppers buy the way BG/NBD assumes (a rate and a leaving chance each) and in basket
        // sizes of their own, so both models fit: a fallback here would mean the sandbox or the fit broke.
        var purchases = report.GetProperty("purchases");
        Assert.Equal("fitted", report.GetProperty("status").GetString());
        Assert.Equal("fitted", purchases.GetProperty("status").GetString());
        foreach (var p in new[] { "r", "alpha", "a", "b" }) Assert.True(purchases.GetProperty(p).GetDouble() > 0, p);
        Assert.True(purchases.GetProperty("logLikelihood").GetDouble() < 0);
        Assert.Equal("fitted", report.GetProperty("spend").GetProperty("status").GetString());
        Assert.True(report.GetProperty("spend").GetProperty("p").GetDouble() > 0);

        // The holdout's actual repeat purchase days, counted here from the orders API with the model's rules.
        var days = (await api.GetAllAsync("/api/v1/merchants/val/orders"))
            .Where(o => Revenue.Contains(o.GetProperty("status").GetString()))
            .GroupBy(o => o.GetProperty("customer").GetString()!)
            .Select(g => g.Select(o => DateOnly.FromDateTime(o.GetProperty("createdAt").GetDateTimeOffset().UtcDateTime)).Distinct().Order().ToList())
            .Where(d => d[0] <= calibrationEnd).ToList();
        var actual = days.Sum(d => d.Count(x => x > calibrationEnd && x <= holdoutEnd));
        var holdout = report.GetProperty("holdout");
        Assert.Equal(days.Count, report.GetProperty("customers").GetInt32());
        Assert.Equal(days.Count(d => d.Count(x => x <= calibrationEnd) > 1), report.GetProperty("repeatBuyers").GetInt32());
        Assert.Equal(actual, holdout.GetProperty("actualRepeatPurchases").GetInt32());
        Assert.True(actual > 0);
        Assert.True(holdout.GetProperty("predictedRepeatPurchases").GetDouble() > 0);

        var kept = await api.GetJsonAsync("/api/v1/merchants/val/insights/model");
        Assert.Equal(report.GetProperty("fittedAt").GetString(), kept.GetProperty("fittedAt").GetString());
        Assert.Equal(report.GetProperty("spend").GetProperty("p").GetDouble(), kept.GetProperty("spend").GetProperty("p").GetDouble());
        Assert.Equal(report.GetProperty("holdout").ToString(), kept.GetProperty("holdout").ToString());

        var customer = (await api.GetAllAsync("/api/v1/merchants/val/customers")).First(c => c.GetProperty("orders").GetInt32() > 1);
        var value = (await api.GetJsonAsync($"/api/v1/merchants/val/customers/{customer.GetProperty("id").GetString()}")).GetProperty("value");
        if (value.GetProperty("pAlive").ValueKind == JsonValueKind.Number) Assert.InRange(value.GetProperty("pAlive").GetDouble(), 0, 1);
        Assert.Equal(report.GetProperty("status").GetString(), value.GetProperty("modelStatus").GetString());
        Assert.True(value.GetProperty("expectedOrders").GetDouble() > 0);
        Assert.True(value.GetProperty("clv").GetDecimal() > 0);
        Assert.Equal("USD", value.GetProperty("currency").GetString());
    }

    [Theory]
    [InlineData("2026-13-01", null, "calibrationEnd")]
    [InlineData("2026-01-31", "2026-01-01", "holdoutEnd")]
    [InlineData("2999-01-01", null, "calibrationEnd")]
    public async Task Bad_dates_are_refused_naming_the_field(string calibrationEnd, string? holdoutEnd, string field)
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync($"bad{field.Length}{calibrationEnd[..4]}");
        var response = await api.PostJsonAsync($"/api/v1/merchants/bad{field.Length}{calibrationEnd[..4]}/insights/model/fit", new { calibrationEnd, holdoutEnd });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_merchant_without_orders_gets_not_enough_data_not_an_error()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("empty");
        var report = await (await api.PostJsonAsync("/api/v1/merchants/empty/insights/model/fit", new { })).ReadJsonAsync();
        Assert.Equal("notEnoughData", report.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, report.GetProperty("purchases").GetProperty("reason").ValueKind);
        Assert.Equal(0, report.GetProperty("customers").GetInt32());
    }
}
