using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Xunit;

namespace Platform.Plugins.Testing;

/// <summary>
/// The checks every HTTP connector must pass, for one stream. Derive one class per (plugin, stream), say how to
/// configure a store against <see cref="FakeMarketplaceServer.Url"/>, and give a <see cref="MarketplaceFake"/> that
/// serves the marketplace's documented payloads. The kit decides which items exist and when they changed, reads
/// through the host's resilience pipeline, and checks the incremental-sync rules of the plugin contract.
/// </summary>
public abstract class ConnectorConformanceTests : IDisposable
{
    /// <summary>The fixed "now" of every check: 2026-06-01 00:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lazy<FakeMarketplaceServer> _server;

    /// <summary>Sets up the clock, the token store and (lazily) the fake server.</summary>
    protected ConnectorConformanceTests()
    {
        Clock = new ManualClock(Start);
        _server = new Lazy<FakeMarketplaceServer>(() =>
        {
            var fake = CreateFake();
            fake.Clock = Clock;
            return new FakeMarketplaceServer(fake);
        });
    }

    // ---- what a plugin author supplies -------------------------------------------------------------------

    /// <summary>The plugin under test.</summary>
    protected abstract IConnectorPlugin CreatePlugin();

    /// <summary>The fake marketplace for <see cref="Stream"/>.</summary>
    protected abstract MarketplaceFake CreateFake();

    /// <summary>Settings of a store whose marketplace is at <paramref name="baseUrl"/>, with credentials the fake accepts.</summary>
    protected abstract JsonObject ValidSettings(string baseUrl);

    /// <summary>The setting a rejected-credentials error must name (e.g. <c>accessToken</c>, <c>consumerKey</c>, <c>refreshToken</c>).</summary>
    protected abstract string CredentialSetting { get; }

    /// <summary>The stream under test.</summary>
    protected virtual StreamName Stream => StreamName.Orders;

    /// <summary>How many items the full read covers: enough for several pages.</summary>
    protected virtual int ItemCount => 450;

    /// <summary>How far back a first read starts.</summary>
    protected virtual TimeSpan Backfill => TimeSpan.FromDays(60);

    /// <summary>Settings a store may not omit and the schema must require (default: every <c>required</c> of the manifest schema).</summary>
    protected virtual IEnumerable<string> RequiredSettings => ManifestRequired();

    /// <summary>Settings that hold secrets and must be marked <c>"x-secret": true</c>.</summary>
    protected virtual IEnumerable<string> SecretSettings => [];

    // ---- what the kit provides to derived tests ----------------------------------------------------------

    /// <summary>The clock every connector of the test gets.</summary>
    protected ManualClock Clock { get; }

    /// <summary>The token store every connector of the test gets (shared, like the host's per store).</summary>
    protected InMemoryTokenStore Tokens { get; } = new();

    /// <summary>The fake marketplace's server.</summary>
    protected FakeMarketplaceServer Server => _server.Value;

    /// <summary>The fake marketplace.</summary>
    protected MarketplaceFake Fake => Server.Fake;

    /// <summary>A connector for a store configured with <paramref name="settings"/> (default: <see cref="ValidSettings"/>).</summary>
    protected IConnector Connect(JsonObject? settings = null)
    {
        var json = (settings ?? ValidSettings(Server.Url)).ToJsonString();
        var plugin = CreatePlugin();
        return plugin.Create(KitContext.Create(plugin, json, Clock, Tokens));
    }

    /// <summary>Items numbered from <paramref name="first"/>, changed at whole seconds spread over [from, to].</summary>
    protected static List<SampleItem> Spread(int count, DateTimeOffset from, DateTimeOffset to, int first = 1, int seed = 7)
    {
        var random = new Random(seed);
        var span = (long)(to - from).TotalSeconds;
        return [.. Enumerable.Range(first, count).Select(n =>
        {
            var updated = from.AddSeconds(random.NextInt64(0, span + 1));
            var created = updated.AddSeconds(-random.NextInt64(0, 5 * 86_400));
            return new SampleItem(n, created, updated);
        })];
    }

    /// <summary>
    /// <paramref name="count"/> items (default <see cref="ItemCount"/>) changed over the backfill period, up to two days
    /// before <see cref="Start"/>: a first read gets them all, and a day separates them from the window's end.
    /// </summary>
    private List<SampleItem> BackfillItems(int? count = null) =>
        Spread(count ?? ItemCount, Start - Backfill + TimeSpan.FromHours(1), Start - TimeSpan.FromDays(2));

    /// <summary>Reads the stream to the end, collecting pages.</summary>
    protected async Task<List<RecordPage>> ReadAllAsync(IConnector connector, StreamCursor? cursor, ReadWindow window, CancellationToken ct = default)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in connector.ReadAsync(Stream, cursor, window, ct))
            pages.Add(page);
        return pages;
    }

    /// <summary>The window of a first read at the clock's time: from <see cref="Backfill"/> ago to now minus a small lag.</summary>
    protected ReadWindow WindowNow() => new(Start - Backfill, Clock.GetUtcNow().AddSeconds(-5));

    // ---- the checks ----------------------------------------------------------------------------------------

    /// <summary>A first read returns every item exactly once, across all pages, with its marketplace id and change time.</summary>
    [Fact]
    public async Task Full_read_returns_every_item_to_the_end_of_pagination()
    {
        var items = BackfillItems();
        Fake.Items = items;
        var pages = await ReadAllAsync(Connect(), null, WindowNow());

        AssertRecordsAre(items, pages.SelectMany(p => p.Records).ToList());
        Assert.True(pages.Count(p => p.Records.Count > 0) > 1, "the items fit in one page: raise ItemCount so pagination is exercised");
        AssertTypes(pages);
    }

    /// <summary>A read from the last checkpoint returns only what changed after it: new items and updated ones.</summary>
    [Fact]
    public async Task Incremental_read_from_a_cursor_fetches_only_what_changed()
    {
        var items = BackfillItems();
        Fake.Items = items;
        var first = await ReadAllAsync(Connect(), null, WindowNow());
        var cursor = LastCheckpoint(first) ?? throw new Xunit.Sdk.XunitException("a full read of items returned no checkpoint");

        Clock.Now = Start + TimeSpan.FromHours(12);
        var changed = items.Take(5).Select(i => i with { UpdatedAt = Start + TimeSpan.FromHours(1 + i.Number) }).ToList();
        var added = Spread(5, Start + TimeSpan.FromHours(2), Start + TimeSpan.FromHours(10), first: ItemCount + 1, seed: 11);
        Fake.Items = [.. changed, .. items.Skip(5), .. added];
        Server.ClearLog();
        var second = await ReadAllAsync(Connect(), JsonRoundTrip(cursor), WindowNow());

        AssertRecordsAre([.. changed, .. added], second.SelectMany(p => p.Records).ToList());
    }

    /// <summary>Items changed after <see cref="ReadWindow.Until"/> are left for the next read, which then gets them.</summary>
    [Fact]
    public async Task Read_stops_at_the_window_bound_and_the_next_read_continues_there()
    {
        var before = BackfillItems();
        var after = Spread(7, Start - TimeSpan.FromHours(20), Start - TimeSpan.FromHours(1), first: ItemCount + 1, seed: 13);
        Fake.Items = [.. before, .. after];
        var window = new ReadWindow(Start - Backfill, Start - TimeSpan.FromDays(1));
        var first = await ReadAllAsync(Connect(), null, window);
        AssertRecordsAre(before, first.SelectMany(p => p.Records).ToList());

        var second = await ReadAllAsync(Connect(), JsonRoundTrip(LastCheckpoint(first)), WindowNow());
        AssertRecordsAre(after, second.SelectMany(p => p.Records).ToList());
    }

    /// <summary>Reading again from the last checkpoint when nothing changed returns no records.</summary>
    [Fact]
    public async Task Second_read_with_nothing_new_returns_nothing()
    {
        Fake.Items = BackfillItems(ItemCount / 3);
        var first = await ReadAllAsync(Connect(), null, WindowNow());
        Clock.Now = Start + TimeSpan.FromHours(1);
        var second = await ReadAllAsync(Connect(), JsonRoundTrip(LastCheckpoint(first)), WindowNow());
        Assert.Empty(second.SelectMany(p => p.Records));
    }

    /// <summary>Rejected credentials fail the check and the read permanently, naming the setting to fix, without a retry storm.</summary>
    [Fact]
    public async Task Rejected_credentials_fail_permanently_naming_the_credential()
    {
        Fake.Items = Spread(10, Start - TimeSpan.FromDays(10), Start - TimeSpan.FromDays(2));
        Fake.RejectCredentials = true;

        var check = await Connect().CheckAsync(CancellationToken.None);
        Assert.False(check.Ok, $"the check passed with rejected credentials: {check.Message}");
        Assert.Contains(CredentialSetting, check.Message, StringComparison.Ordinal);

        Server.ClearLog();
        var e = await Assert.ThrowsAsync<ConnectorAuthException>(() => ReadAllAsync(Connect(), null, WindowNow()));
        Assert.Contains(CredentialSetting, e.Message, StringComparison.Ordinal);
        Assert.True(Server.Requests.Count <= 6, $"{Server.Requests.Count} requests after the credentials were rejected: a rejection is not worth retrying");
    }

    /// <summary>429 answers with <c>Retry-After</c> are retried by the host pipeline and the read completes.</summary>
    [Fact]
    public async Task Rate_limited_pages_are_retried_after_the_wait_and_the_read_completes()
    {
        var items = BackfillItems();
        Fake.Items = items;
        Server.FailPages(new FakeResponse(429, """{"error":"too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "1" }), count: 2, skip: 1);

        var pages = await ReadAllAsync(Connect(), null, WindowNow());
        Assert.Equal(0, Server.PendingFaults);
        AssertRecordsAre(items, pages.SelectMany(p => p.Records).ToList());
    }

    /// <summary>500 and 503 answers are retried by the host pipeline and the read completes.</summary>
    [Fact]
    public async Task Server_errors_are_retried_and_the_read_completes()
    {
        var items = BackfillItems();
        Fake.Items = items;
        Server.FailPages(new FakeResponse(500, "internal error"), count: 1, skip: 1);
        Server.FailPages(new FakeResponse(503, "unavailable", new Dictionary<string, string> { ["Retry-After"] = "0" }), count: 2, skip: 1);

        var pages = await ReadAllAsync(Connect(), null, WindowNow());
        Assert.Equal(0, Server.PendingFaults);
        AssertRecordsAre(items, pages.SelectMany(p => p.Records).ToList());
    }

    /// <summary>
    /// A page that is not the documented JSON fails the read with the endpoint in the message; the pages before it
    /// came with their checkpoints, and resuming from the last one reads the rest without a gap.
    /// </summary>
    [Fact]
    public async Task Malformed_page_fails_naming_the_endpoint_and_the_cursor_stays_at_the_last_good_page()
    {
        var items = BackfillItems();
        Fake.Items = items;
        Server.FailPages(new FakeResponse(200, """{"response": {"order_list": [{"broken"""), count: 1, skip: 2);

        var good = new List<RecordPage>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var page in Connect().ReadAsync(Stream, null, WindowNow(), CancellationToken.None))
                good.Add(page);
        });
        Assert.NotNull(failure);
        var endpoint = Server.Requests.Last(Fake.IsPageRequest).Path;
        Assert.Contains(endpoint, failure.Message, StringComparison.Ordinal);
        Assert.IsNotType<ConnectorAuthException>(failure);

        var rest = await ReadAllAsync(Connect(), JsonRoundTrip(LastCheckpoint(good)), WindowNow());
        var all = good.Concat(rest).SelectMany(p => p.Records).GroupBy(r => r.ExternalId).Select(g => g.Last()).ToList();
        AssertRecordsAre(items, all);
    }

    /// <summary>Cancelling a read stops it: the enumeration ends with <see cref="OperationCanceledException"/> and no more pages are fetched.</summary>
    [Fact]
    public async Task Cancellation_stops_the_read_promptly()
    {
        Fake.Items = BackfillItems();
        using var cts = new CancellationTokenSource();
        var pagesAfterCancel = 0;
        var requestsAtCancel = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var page in Connect().ReadAsync(Stream, null, WindowNow(), cts.Token))
            {
                if (cts.IsCancellationRequested)
                    pagesAfterCancel++;
                else if (page.Records.Count > 0)
                {
                    requestsAtCancel = Server.Requests.Count;
                    await cts.CancelAsync();
                }
            }
        });
        Assert.True(pagesAfterCancel <= 1, $"{pagesAfterCancel} pages came after the read was cancelled");
        Assert.True(Server.Requests.Count <= requestsAtCancel + 1, $"{Server.Requests.Count - requestsAtCancel} requests after the read was cancelled");
    }

    /// <summary>The manifest's schema rejects settings that lack a required field, naming it; secrets are marked.</summary>
    [Fact]
    public async Task Settings_missing_a_required_field_are_rejected_by_the_schema()
    {
        var manifest = CreatePlugin().Manifest;
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(manifest.Settings.GetRawText());
        var valid = ValidSettings("https://marketplace.example");
        Assert.Empty(schema.Validate(valid.ToJsonString()));

        var required = RequiredSettings.ToList();
        Assert.NotEmpty(required);
        foreach (var name in required)
        {
            var without = valid.DeepClone().AsObject();
            without.Remove(name);
            var errors = schema.Validate(without.ToJsonString());
            Assert.Contains(errors, e => e.Property == name || e.Path?.EndsWith(name, StringComparison.Ordinal) == true);
        }
        var properties = manifest.Settings.GetProperty("properties");
        foreach (var secret in SecretSettings)
            Assert.True(properties.TryGetProperty(secret, out var p) && p.TryGetProperty("x-secret", out var x) && x.ValueKind == JsonValueKind.True,
                $"the setting '{secret}' holds a secret but is not marked \"x-secret\": true");
        Assert.Contains(Stream.ToWire(), manifest.Streams);
        Assert.Equal(ContractVersion.Current, manifest.Contract);
    }

    /// <summary>The <c>plugin.json</c> shipped next to the assembly says what the plugin's <c>Manifest</c> says.</summary>
    [Fact]
    public void Shipped_manifest_matches_the_plugin() => KitChecks.ShippedManifestMatches(CreatePlugin());

    // ---- helpers -------------------------------------------------------------------------------------------

    /// <summary>Asserts the records are exactly the items (by marketplace id, once each) with the items' change times.</summary>
    protected void AssertRecordsAre(IReadOnlyCollection<SampleItem> items, IReadOnlyList<SourceRecord> records)
    {
        var duplicates = records.GroupBy(r => r.ExternalId).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.True(duplicates.Count == 0, $"records returned more than once: {string.Join(", ", duplicates)}");
        var expected = items.ToDictionary(Fake.ExternalIdOf);
        var missing = expected.Keys.Except(records.Select(r => r.ExternalId)).Take(5).ToList();
        var extra = records.Select(r => r.ExternalId).Except(expected.Keys).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{records.Count} records for {items.Count} items; missing: [{string.Join(", ", missing)}], not expected: [{string.Join(", ", extra)}]");
        foreach (var record in records)
        {
            Assert.Equal(TimeSpan.Zero, record.ChangedAt.Offset);
            Assert.True(expected[record.ExternalId].UpdatedAt == record.ChangedAt,
                $"{record.ExternalId} changed at {record.ChangedAt:O}; the marketplace says {expected[record.ExternalId].UpdatedAt:O}");
            Assert.False(string.IsNullOrWhiteSpace(record.RawJson), $"{record.ExternalId} has no RawJson");
        }
    }

    private void AssertTypes(IEnumerable<RecordPage> pages)
    {
        var type = KitChecks.RecordTypeOf(Stream);
        foreach (var record in pages.SelectMany(p => p.Records))
            Assert.IsType(type, record);
    }

    private static StreamCursor? LastCheckpoint(IEnumerable<RecordPage> pages) => pages.LastOrDefault()?.Checkpoint;

    /// <summary>The host stores cursors as text: a cursor must survive that.</summary>
    private static StreamCursor? JsonRoundTrip(StreamCursor? cursor) => cursor is null ? null : new StreamCursor(cursor.Json);

    private IEnumerable<string> ManifestRequired()
    {
        var settings = CreatePlugin().Manifest.Settings;
        return settings.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(e => e.GetString()!) : [];
    }

    /// <summary>Stops the fake server.</summary>
    public void Dispose()
    {
        if (_server.IsValueCreated)
            _server.Value.Dispose();
        GC.SuppressFinalize(this);
    }
}
