using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Xunit;

namespace Platform.Plugins.Testing;

/// <summary>
/// The incremental-sync checks for a connector whose source decides the data itself (a generator such as the
/// sandbox, files, a local database): no fake marketplace, so the checks compare the connector with itself over
/// time on the kit's clock. A read resumed from a checkpoint must give what a fresh read gives, only what changed,
/// nothing past the window, nothing when nothing changed; cancellation stops it; the manifest is shipped.
/// HTTP connectors use <see cref="ConnectorConformanceTests"/>, which also covers faults and credentials.
/// </summary>
public abstract class SourceConsistencyTests
{
    /// <summary>The fixed "now" of the first read: 2026-06-01 00:00 UTC.</summary>
    public static readonly DateTimeOffset Start = ConnectorConformanceTests.Start;

    /// <summary>The plugin under test.</summary>
    protected abstract IConnectorPlugin CreatePlugin();

    /// <summary>Settings of a store whose source holds data changing over time (several pages in <see cref="Backfill"/>).</summary>
    protected abstract JsonObject Settings();

    /// <summary>The stream under test.</summary>
    protected virtual StreamName Stream => StreamName.Orders;

    /// <summary>How far back a first read starts.</summary>
    protected virtual TimeSpan Backfill => TimeSpan.FromDays(30);

    /// <summary>How far the clock moves between a read and the next.</summary>
    protected virtual TimeSpan Later => TimeSpan.FromDays(3) + TimeSpan.FromHours(5);

    /// <summary>The clock connectors of the test get.</summary>
    protected ManualClock Clock { get; } = new(Start);

    /// <summary>The token store connectors of the test get.</summary>
    protected InMemoryTokenStore Tokens { get; } = new();

    /// <summary>A connector of the store, on the kit's clock.</summary>
    protected IConnector Connect()
    {
        var plugin = CreatePlugin();
        return plugin.Create(KitContext.Create(plugin, Settings().ToJsonString(), Clock, Tokens));
    }

    private ReadWindow Window() => new(Start - Backfill, Clock.GetUtcNow());

    private async Task<List<RecordPage>> ReadAsync(StreamCursor? cursor, CancellationToken ct = default)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in Connect().ReadAsync(Stream, cursor is null ? null : new StreamCursor(cursor.Json), Window(), ct))
            pages.Add(page);
        return pages;
    }

    /// <summary>A first read: several pages, each record once, of the stream's type, in UTC, inside the window, with its payload.</summary>
    [Fact]
    public async Task Full_read_returns_each_record_once_inside_the_window()
    {
        var pages = await ReadAsync(null);
        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.True(pages.Count(p => p.Records.Count > 0) > 1, "the source gave fewer than two pages: give settings with more data");
        AssertOnceEach(records);
        var window = Window();
        foreach (var record in records)
        {
            Assert.IsType(KitChecks.RecordTypeOf(Stream), record);
            Assert.Equal(TimeSpan.Zero, record.ChangedAt.Offset);
            Assert.True(record.ChangedAt <= window.Until, $"{record.ExternalId} changed at {record.ChangedAt:O}, after the window's end {window.Until:O}");
            Assert.False(string.IsNullOrWhiteSpace(record.RawJson), $"{record.ExternalId} has no RawJson");
        }
    }

    /// <summary>Reading on from the last checkpoint later gives only what changed, and together they equal a fresh read.</summary>
    [Fact]
    public async Task Read_resumed_from_the_checkpoint_gets_only_changes_and_matches_a_fresh_read()
    {
        var first = await ReadAsync(null);
        var firstRecords = first.SelectMany(p => p.Records).ToDictionary(r => r.ExternalId);
        Clock.Now = Start + Later;
        var second = (await ReadAsync(first[^1].Checkpoint)).SelectMany(p => p.Records).ToList();
        var fresh = (await ReadAsync(null)).SelectMany(p => p.Records).ToList();

        Assert.NotEmpty(second);
        AssertOnceEach(second);
        foreach (var record in second)
            if (firstRecords.TryGetValue(record.ExternalId, out var before))
                Assert.True(record.ChangedAt > before.ChangedAt, $"{record.ExternalId} was read again without a change ({record.ChangedAt:O})");
        var merged = firstRecords.Values.Concat(second).GroupBy(r => r.ExternalId).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(fresh.Select(r => r.ExternalId).Order(StringComparer.Ordinal), merged.Keys.Order(StringComparer.Ordinal));
        foreach (var record in fresh)
            Assert.True(record.ChangedAt == merged[record.ExternalId].ChangedAt, $"{record.ExternalId}: a fresh read says {record.ChangedAt:O}, the resumed reads {merged[record.ExternalId].ChangedAt:O}");
    }

    /// <summary>Reading again from the last checkpoint when nothing changed returns no records.</summary>
    [Fact]
    public async Task Second_read_with_nothing_new_returns_nothing()
    {
        var first = await ReadAsync(null);
        var second = await ReadAsync(first[^1].Checkpoint);
        Assert.Empty(second.SelectMany(p => p.Records));
    }

    /// <summary>Cancelling a read ends it with <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public async Task Cancellation_stops_the_read()
    {
        using var cts = new CancellationTokenSource();
        var pagesAfterCancel = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var page in Connect().ReadAsync(Stream, null, Window(), cts.Token))
            {
                if (cts.IsCancellationRequested)
                    pagesAfterCancel++;
                else
                    await cts.CancelAsync();
            }
        });
        Assert.True(pagesAfterCancel <= 1, $"{pagesAfterCancel} pages came after the read was cancelled");
    }

    /// <summary>The settings pass the manifest's schema and a value of the wrong type is rejected, naming the field.</summary>
    [Fact]
    public async Task Settings_are_checked_by_the_schema()
    {
        var plugin = CreatePlugin();
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(plugin.Manifest.Settings.GetRawText());
        var settings = Settings();
        Assert.Empty(schema.Validate(settings.ToJsonString()));
        Assert.Contains(Stream.ToWire(), plugin.Manifest.Streams);
        var name = settings.First().Key;
        var wrong = settings.DeepClone().AsObject();
        wrong[name] = settings[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonValue.Create(12345) : JsonValue.Create("not-a-valid-value");
        Assert.Contains(schema.Validate(wrong.ToJsonString()), e => e.Property == name || e.Path?.EndsWith(name, StringComparison.Ordinal) == true);
    }

    /// <summary>The <c>plugin.json</c> shipped next to the assembly says what the plugin's <c>Manifest</c> says.</summary>
    [Fact]
    public void Shipped_manifest_matches_the_plugin() => KitChecks.ShippedManifestMatches(CreatePlugin());

    private static void AssertOnceEach(IEnumerable<SourceRecord> records)
    {
        var duplicates = records.GroupBy(r => r.ExternalId).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.True(duplicates.Count == 0, $"records returned more than once in one read: {string.Join(", ", duplicates)}");
    }
}
