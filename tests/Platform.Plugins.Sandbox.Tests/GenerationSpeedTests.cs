using System.Diagnostics;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Platform.Plugins.Sandbox.Tests;

public sealed class GenerationSpeedTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ninety_days_of_the_benchmark_store_are_about_100k_unique_sorted_orders()
    {
        // The benchmark setting: 30000 people, 1112 orders a day, 90 days ≈ 100k orders (read in three 30-day slices).
        var until = Harness.Now;
        var since = until.AddDays(-90);
        var connector = Harness.Connect("store-bench", new ManualClock(until), """{"people":30000,"ordersPerDay":1112,"pageSize":1000}""");

        var watch = Stopwatch.StartNew();
        var records = 0;
        var created = 0;
        var bytes = 0L;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        OrderRecord? previous = null;
        await foreach (var page in connector.ReadAsync(StreamName.Orders, null, new ReadWindow(since, until), CancellationToken.None))
        {
            foreach (var order in page.Records.Cast<OrderRecord>())
            {
                records++;
                Assert.True(ids.Add(order.ExternalId), $"{order.ExternalId} returned twice");
                Assert.True(previous is null || Harness.Compare(previous, order) < 0, $"{order.ExternalId} out of order");
                previous = order;
                bytes += order.RawJson.Length;
                if (order.CreatedAt >= since)
                    created++;
            }
        }
        watch.Stop();

        output.WriteLine($"{records} orders ({created} created in the 90 days, {bytes / 1024 / 1024} MB of raw JSON) in {watch.ElapsedMilliseconds} ms: {records / watch.Elapsed.TotalSeconds:N0} orders/s");
        Assert.InRange(created, 98_000, 102_000);
    }
}
