using System.Diagnostics;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed class FailureTests
{
    private static readonly ReadWindow Window = new(Harness.Now.AddDays(-30), Harness.Now);

    [Theory]
    [InlineData(StreamName.Orders, 3)]
    [InlineData(StreamName.Reviews, 2)]
    [InlineData(StreamName.Chats, 1)]
    public async Task Fail_at_page_throws_on_that_page_after_yielding_the_pages_before_it(StreamName stream, int failAtPage)
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), $$"""{"pageSize":10,"failAtPage":{{failAtPage}}}""");
        var good = new List<RecordPage>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var page in connector.ReadAsync(stream, null, Window, CancellationToken.None))
                good.Add(page);
        });

        Assert.Equal(failAtPage - 1, good.Count);
        Assert.Contains("sandbox", error.Message);
        Assert.Contains(stream.ToWire(), error.Message);
        Assert.Contains($"page {failAtPage}", error.Message);

        // The pages before the failure are the same as in a read that does not fail, so resuming works.
        var healthy = await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(Harness.Now), """{"pageSize":10}"""), stream, null, Window);
        Assert.Equal(healthy.Take(good.Count).Select(p => p.Checkpoint.Json), good.Select(p => p.Checkpoint.Json));
    }

    [Fact]
    public async Task A_cancelled_read_throws_operation_cancelled()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Harness.ReadPagesAsync(connector, StreamName.Orders, null, Window, cancellationToken: cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connector.CheckAsync(cancellation.Token));
    }

    [Fact]
    public async Task Cancelling_between_pages_stops_the_read()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"pageSize":5}""");
        using var cancellation = new CancellationTokenSource();
        var pages = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in connector.ReadAsync(StreamName.Orders, null, Window, cancellation.Token))
            {
                if (++pages == 2)
                    await cancellation.CancelAsync();
            }
        });
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task Page_delay_waits_before_each_page_and_is_cancelled_promptly()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"pageSize":50,"pageDelayMs":30000}""");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Harness.ReadPagesAsync(connector, StreamName.Orders, null, Window, cancellationToken: cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {watch.Elapsed}");
    }

    [Fact]
    public async Task Page_delay_slows_each_page()
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now), """{"pageSize":100,"pageDelayMs":60}""");
        var watch = Stopwatch.StartNew();

        var pages = await Harness.ReadPagesAsync(connector, StreamName.Orders, null, Window, maxPages: 3);

        Assert.Equal(3, pages.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(170), $"three pages took only {watch.Elapsed}");
    }
}
