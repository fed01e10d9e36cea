using Platform.Abstractions;
using Platform.Crm.Value;
using Platform.Plugins.Sandbox.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Platform.Plugins.Sandbox.Tests;

/// <summary>
/// A churning sandbox store buys the way the purchase model (BG/NBD) assumes people buy: each shopper at a rate of
/// their own, until they stop, and spends in baskets of their own (Gamma-Gamma). So the benchmark's value model is a
/// fitted one, not the fallback.
/// </summary>
public sealed class PurchaseModelTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Closing = new(2025, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    // Dense and short; the scoring benchmark's density at a tenth of one of its stores; sparse and a year long. (A
    // short window with about one purchase a shopper, e.g. 60 days at 120 orders a day among 5,400 shoppers, hardly
    // shows who leaves: there the fit may end at the a, b → ∞ edge, which the model reports as not enough data.)
    [InlineData(30, 30, 300, 3000)]
    [InlineData(90, 90, 370, 27000)]
    [InlineData(365, 365, 10, 2000)]
    public async Task A_churning_store_gives_a_fitted_purchase_model(int days, int churnDays, int ordersPerDay, int people)
    {
        var settings = $$"""{"closedOn":"2025-02-01","ordersPerDay":{{ordersPerDay}},"people":{{people}},"churnDays":{{churnDays}}}""";
        var orders = await OrdersAsync("store-a", settings, days);
        Fit(orders.Select(o => new Transaction(o.Buyer.BuyerId, DateOnly.FromDateTime(o.CreatedAt.UtcDateTime), o.Total)), orders.Count);
    }

    /// <summary>
    /// The benchmark's case: three stores share the people, and identity resolution makes one customer of a person's
    /// accounts (here: by email). A person leaves every store at once, so the merged customers still fit.
    /// </summary>
    [Fact]
    public async Task Three_churning_stores_merged_by_person_give_a_fitted_purchase_model()
    {
        const string settings = """{"closedOn":"2025-02-01","ordersPerDay":370,"people":27000,"churnDays":90,"population":7}""";
        var orders = new List<OrderRecord>();
        foreach (var store in new[] { "s1", "s2", "s3" }) orders.AddRange(await OrdersAsync(store, settings, 90));
        var withEmail = orders.Where(o => !string.IsNullOrEmpty(o.Buyer.Email)).ToList();
        Fit(withEmail.Select(o => new Transaction(o.Buyer.Email!.Trim().ToLowerInvariant(), DateOnly.FromDateTime(o.CreatedAt.UtcDateTime), o.Total)), withEmail.Count);
    }

    private static async Task<List<OrderRecord>> OrdersAsync(string store, string settings, int days) =>
        (await Harness.ReadPagesAsync(Harness.Connect(store, new ManualClock(Harness.Now), settings), StreamName.Orders, null,
            new ReadWindow(Closing.AddDays(-days), Harness.Now))).Records().Cast<OrderRecord>().ToList();

    private void Fit(IEnumerable<Transaction> transactions, int orders)
    {
        var summaries = SummaryBuilder.Build(transactions, DateOnly.FromDateTime(Closing.UtcDateTime.AddDays(-1)));
        var fit = BgNbd.Fit(summaries);
        var spend = GammaGamma.Fit(summaries);
        output.WriteLine($"{orders} orders, {summaries.Count} customers, {fit.RepeatBuyers} repeat: {fit.Status} {fit.Parameters} {fit.Reason}; " +
                         $"spend {spend.Status} {spend.Parameters} {spend.Reason}");
        Assert.True(fit.IsFitted, fit.Reason);
        Assert.True(spend.IsFitted, spend.Reason);
        // Inside the range, not merely under its bound: a leaving chance of a / (a + b) that the data shows.
        Assert.InRange(fit.Parameters.A, 0.01, 1000);
        Assert.InRange(fit.Parameters.B, 0.01, 1000);
    }
}
