using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

/// <summary>The incremental contract, for every stream: no gaps, exact resumption, nothing new means nothing returned.</summary>
public sealed class IncrementalReadTests
{
    private const string Settings = """{"pageSize":25,"ordersPerDay":20}""";
    private static readonly DateTimeOffset Since = Harness.Now.AddDays(-40);

    public static TheoryData<StreamName> Streams => [StreamName.Orders, StreamName.Reviews, StreamName.Chats];

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Reading_on_from_the_checkpoint_later_gives_the_same_state_as_a_fresh_read(StreamName stream)
    {
        var t1 = Harness.Now;
        var t2 = t1.AddDays(4).AddHours(7);
        var clock = new ManualClock(t1);
        var connector = Harness.Connect("store-a", clock, Settings);

        var firstRun = await Harness.ReadPagesAsync(connector, stream, null, new ReadWindow(Since, t1));
        clock.Now = t2;
        var secondRun = await Harness.ReadPagesAsync(connector, stream, firstRun[^1].Checkpoint, new ReadWindow(Since, t2));
        var fresh = await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(t2), Settings), stream, null, new ReadWindow(Since, t2));

        Harness.AssertWellFormed(secondRun, 25, Since, t2);
        Assert.NotEmpty(secondRun);
        Assert.All(secondRun.Records(), r => Assert.True(Harness.Compare(r, firstRun.Records()[^1]) > 0));
        var merged = Latest(firstRun.Records().Concat(secondRun.Records()));
        var expected = fresh.Records().ToDictionary(r => r.ExternalId);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), merged.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected.Values, r => Assert.Equal(r.RawJson, merged[r.ExternalId].RawJson));
        if (stream == StreamName.Orders)
            Assert.All(expected.Values.Cast<OrderRecord>(), o => Assert.Equal(o.Status, ((OrderRecord)merged[o.ExternalId]).Status));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task With_a_safety_lag_nothing_is_lost_between_runs(StreamName stream)
    {
        var lag = TimeSpan.FromMinutes(90);
        var clock = new ManualClock(Harness.Now);
        var connector = Harness.Connect("store-a", clock, Settings);
        var seen = new List<SourceRecord>();
        StreamCursor? cursor = null;
        var until = DateTimeOffset.MinValue;

        for (var run = 0; run < 6; run++)
        {
            if (run > 0)
                clock.Now = clock.Now.AddHours(17);
            until = clock.Now - lag;
            var pages = await Harness.ReadPagesAsync(connector, stream, cursor, new ReadWindow(Since, until));
            Harness.AssertWellFormed(pages, 25, Since, until);
            seen.AddRange(pages.Records());
            cursor = pages.Count > 0 ? pages[^1].Checkpoint : cursor;
        }

        // Every record a fresh read would return now is known, in that same version.
        var fresh = await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(clock.Now), Settings), stream, null, new ReadWindow(Since, until));
        var merged = Latest(seen);
        Assert.All(fresh.Records(), r => Assert.Equal(r.RawJson, Assert.Contains(r.ExternalId, merged).RawJson));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Resuming_from_a_mid_stream_checkpoint_yields_exactly_the_remaining_records(StreamName stream)
    {
        var clock = new ManualClock(Harness.Now);
        var window = new ReadWindow(Since, Harness.Now);
        var all = await Harness.ReadPagesAsync(Harness.Connect("store-a", clock, Settings), stream, null, window);
        Assert.True(all.Count > 3, $"only {all.Count} pages");

        var interrupted = await Harness.ReadPagesAsync(Harness.Connect("store-a", clock, Settings), stream, null, window, maxPages: 2);
        var resumed = await Harness.ReadPagesAsync(Harness.Connect("store-a", clock, Settings), stream, interrupted[^1].Checkpoint, window);

        Assert.Equal(all.Take(2).Records().Select(r => r.RawJson), interrupted.Records().Select(r => r.RawJson));
        Assert.Equal(all.Skip(2).Records().Select(r => r.ExternalId), resumed.Records().Select(r => r.ExternalId));
        Assert.Equal(all.Skip(2).Records().Select(r => r.RawJson), resumed.Records().Select(r => r.RawJson));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Re_reading_from_the_final_checkpoint_with_the_same_until_returns_nothing(StreamName stream)
    {
        var clock = new ManualClock(Harness.Now);
        var connector = Harness.Connect("store-a", clock, Settings);
        var window = new ReadWindow(Since, Harness.Now.AddHours(-1));
        var pages = await Harness.ReadPagesAsync(connector, stream, null, window);

        Assert.Empty(await Harness.ReadPagesAsync(connector, stream, pages[^1].Checkpoint, window));
        clock.Now = clock.Now.AddDays(1);
        Assert.Empty(await Harness.ReadPagesAsync(connector, stream, pages[^1].Checkpoint, window with { Until = pages[^1].Records[^1].ChangedAt }));
    }

    [Theory]
    [InlineData("""{"page":3}""")]
    [InlineData("""{"changedAt":"yesterday","externalId":"x"}""")]
    [InlineData("""{"changedAt":"2025-03-01T00:00:00+00:00"}""")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    public async Task An_unreadable_cursor_is_an_argument_error_naming_the_cursor(string json)
    {
        var connector = Harness.Connect("store-a", new ManualClock(Harness.Now));

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Harness.ReadPagesAsync(connector, StreamName.Orders, new StreamCursor(json), new ReadWindow(Since, Harness.Now)));

        Assert.Equal("cursor", error.ParamName);
        Assert.Contains("cursor", error.Message);
    }

    private static Dictionary<string, SourceRecord> Latest(IEnumerable<SourceRecord> records)
    {
        var latest = new Dictionary<string, SourceRecord>();
        foreach (var record in records)
        {
            if (!latest.TryGetValue(record.ExternalId, out var known) || known.ChangedAt <= record.ChangedAt)
                latest[record.ExternalId] = record;
        }
        return latest;
    }
}
