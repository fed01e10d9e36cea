using System.Net;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The csv-import plugin through the real host: the CDNOW reference log loaded through the normal sync path gives
/// the published BG/NBD and Gamma-Gamma numbers; re-importing changes nothing, a changed row updates its order; a
/// bad row is logged with file, line and column and the rest is imported; a column the file lacks fails the check.
/// </summary>
public sealed class CsvImportTests(CsvImportTests.Fixture fixture) : IClassFixture<CsvImportTests.Fixture>
{
    public sealed class Fixture : HostFixture;

    private static readonly string Cdnow = Path.Combine(TestPaths.RepoRoot, "tests", "Platform.Crm.Tests", "Data", "cdnow", "CDNOW_sample.txt");

    private static async Task PutCsvStoreAsync(HttpClient api, string merchant, string store, object settings)
    {
        var response = await api.PutJsonAsync($"/api/v1/merchants/{merchant}/stores/{store}",
            new { plugin = "csv-import", displayName = store, settings, since = new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), schedules = new { }, enabled = true });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(0.01 * Math.Abs(expected), 0.001), $"{what}: expected {expected} ± 1 %, got {actual}");

    [Fact]
    public async Task Cdnow_loaded_through_csv_import_gives_the_published_model()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("cdnow", "USD");
        await PutCsvStoreAsync(api, "cdnow", "cd", new
        {
            path = Cdnow, delimiter = "whitespace", hasHeader = false, dateFormat = "yyyyMMdd", currency = "USD",
            columns = new { buyerId = "#2", date = "#3", quantity = "#4", total = "#5" },
        });
        var runs = await api.SyncAsync("cdnow", "cd", "orders");
        Assert.Equal(6919, runs.Single().GetProperty("inserted").GetInt32());
        await api.WaitForProfilesAsync("cdnow");
        Assert.Equal(2357, (await api.GetJsonAsync("/api/v1/merchants/cdnow/customers?pageSize=1")).GetProperty("total").GetInt32());

        var fit = await api.PostJsonAsync("/api/v1/merchants/cdnow/insights/model/fit", new { calibrationEnd = "1997-09-30", holdoutEnd = "1998-06-30" });
        var report = await fit.ReadJsonAsync();
        Assert.True(fit.StatusCode == HttpStatusCode.OK, report.ToString());
        Assert.Equal(2357, report.GetProperty("customers").GetInt32());
        Assert.Equal(946, report.GetProperty("repeatBuyers").GetInt32());
        var bgnbd = report.GetProperty("purchases");
        Close(0.243, bgnbd.GetProperty("r").GetDouble(), "r");
        Close(4.414, bgnbd.GetProperty("alpha").GetDouble(), "alpha");
        Close(0.793, bgnbd.GetProperty("a").GetDouble(), "a");
        Close(2.426, bgnbd.GetProperty("b").GetDouble(), "b");
        Assert.InRange(bgnbd.GetProperty("logLikelihood").GetDouble(), -9582.5, -9582.3);
        var gg = report.GetProperty("spend");
        Close(6.25, gg.GetProperty("p").GetDouble(), "p");
        Close(3.74, gg.GetProperty("q").GetDouble(), "q");
        Close(15.44, gg.GetProperty("gamma").GetDouble(), "gamma");
        Assert.True(report.GetProperty("holdout").GetProperty("actualRepeatPurchases").GetInt32() > 0);

        // Re-importing the same file reads nothing new and changes nothing.
        var again = (await api.SyncAsync("cdnow", "cd", "orders")).Single();
        Assert.Equal((0, 0), (again.GetProperty("inserted").GetInt32(), again.GetProperty("updated").GetInt32()));
    }

    [Fact]
    public async Task A_changed_row_updates_its_order_and_a_bad_row_is_reported_and_skipped()
    {
        using var api = fixture.Host.Client();
        var folder = TestPaths.NewTempDirectory("csv");
        var file = Path.Combine(folder, "orders.csv");
        await File.WriteAllTextAsync(file, """
            Order,Buyer,E-mail,Placed,Amount,Currency
            A-1,b1,ann@example.com,2026-01-05,10.50,SGD
            A-2,b2,bob@example.com,05/01/2026,20.00,SGD
            A-3,b1,ann@example.com,2026-01-09,"1,000.00",SGD
            """);
        await api.CreateMerchantAsync("csv", "SGD");
        var settings = new
        {
            path = folder, delimiter = ",", hasHeader = true,
            columns = new { orderId = "Order", buyerId = "Buyer", email = "E-mail", date = "Placed", total = "Amount", currency = "Currency" },
        };
        await PutCsvStoreAsync(api, "csv", "exports", settings);
        var first = (await api.SyncAsync("csv", "exports", "orders")).Single();
        Assert.Equal(2, first.GetProperty("inserted").GetInt32()); // A-2's date is not yyyy-MM-dd
        // The host's console logger writes in the background: the line reaches the log shortly after the run ends.
        const string logged = "orders.csv line 3, column 4 (date): '05/01/2026' is not a date in the format yyyy-MM-dd";
        await Eventually.Until(() => Task.FromResult(fixture.Host.Log.Contains(logged, StringComparison.Ordinal)), TimeSpan.FromSeconds(15),
            () => $"the host log does not say: {logged}");
        Assert.Equal(1, first.GetProperty("skipped").GetInt32());
        Assert.Equal("orders.csv line 3, column 4 (date): '05/01/2026' is not a date in the format yyyy-MM-dd; the row is skipped",
            Assert.Single(first.GetProperty("warnings").EnumerateArray()).GetString());
        var orders = await api.GetAllAsync("/api/v1/merchants/csv/orders?store=exports");
        Assert.Equal(1000.00m, orders.Single(o => o.GetProperty("id").GetString() == "A-3").GetProperty("total").GetDecimal());

        // Fix A-2 and change A-1's amount: one new order, one updated, A-3 untouched.
        await File.WriteAllTextAsync(file, """
            Order,Buyer,E-mail,Placed,Amount,Currency
            A-1,b1,ann@example.com,2026-01-05,12.00,SGD
            A-2,b2,bob@example.com,2026-01-05,20.00,SGD
            A-3,b1,ann@example.com,2026-01-09,"1,000.00",SGD
            """);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        var second = (await api.SyncAsync("csv", "exports", "orders")).Single();
        Assert.Equal((1, 1), (second.GetProperty("inserted").GetInt32(), second.GetProperty("updated").GetInt32()));
        orders = await api.GetAllAsync("/api/v1/merchants/csv/orders?store=exports");
        Assert.Equal(3, orders.Count);
        Assert.Equal(12.00m, orders.Single(o => o.GetProperty("id").GetString() == "A-1").GetProperty("total").GetDecimal());
        // The same content saved again is read again, and changes nothing.
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(2));
        var third = (await api.SyncAsync("csv", "exports", "orders")).Single();
        Assert.Equal((3, 0, 0), (third.GetProperty("read").GetInt32(), third.GetProperty("inserted").GetInt32(), third.GetProperty("updated").GetInt32()));
        await api.WaitForProfilesAsync("csv");
        var ann = (await api.GetJsonAsync("/api/v1/merchants/csv/customers?q=ann@example.com")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(1012.00m, ann.GetProperty("revenue").GetDecimal());

        // A column the file lacks: the check says which setting and which file.
        await PutCsvStoreAsync(api, "csv", "broken", new { path = file, columns = new { buyerId = "Customer", date = "Placed", total = "Amount" } });
        var check = await (await api.PostJsonAsync("/api/v1/merchants/csv/stores/broken/check", new { })).ReadJsonAsync();
        Assert.Contains("columns.buyerId is 'Customer', which is not a column of orders.csv", check.ToString());
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
