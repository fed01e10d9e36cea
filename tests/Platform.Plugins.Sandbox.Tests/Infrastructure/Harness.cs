using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;

namespace Platform.Plugins.Sandbox.Tests.Infrastructure;

/// <summary>Creates sandbox connectors and reads them the way the host does.</summary>
internal static class Harness
{
    /// <summary>A fixed "now" for the tests: 2025-03-15 09:30 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2025, 3, 15, 9, 30, 0, TimeSpan.Zero);

    public static IConnector Connect(string storeId, TimeProvider clock, string settings = "{}") =>
        new SandboxPlugin().Create(new ConnectorContext
        {
            MerchantId = "merchant-1",
            StoreId = storeId,
            Settings = ConnectorSettings.Parse(settings),
            Http = new HttpClient(),
            Logger = NullLogger.Instance,
            Clock = clock,
            Tokens = new InMemoryTokenStore(),
        });

    public static async Task<List<RecordPage>> ReadPagesAsync(
        IConnector connector, StreamName stream, StreamCursor? cursor, ReadWindow window,
        int maxPages = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in connector.ReadAsync(stream, cursor, window, cancellationToken))
        {
            pages.Add(page);
            if (pages.Count == maxPages)
                break;
        }
        return pages;
    }

    public static List<SourceRecord> Records(this IEnumerable<RecordPage> pages) => [.. pages.SelectMany(p => p.Records)];

    public static (DateTimeOffset ChangedAt, string ExternalId) KeyOf(StreamCursor cursor)
    {
        using var doc = JsonDocument.Parse(cursor.Json);
        return (doc.RootElement.GetProperty("changedAt").GetDateTimeOffset(), doc.RootElement.GetProperty("externalId").GetString()!);
    }

    public static int Compare(SourceRecord a, SourceRecord b)
    {
        var byTime = a.ChangedAt.CompareTo(b.ChangedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.ExternalId, b.ExternalId);
    }

    /// <summary>
    /// The page rules every read must follow: no empty page, at most pageSize records, strictly ascending
    /// (ChangedAt, ExternalId) across pages, each checkpoint the key of its page's last record, nothing after Until.
    /// </summary>
    public static void AssertWellFormed(IReadOnlyList<RecordPage> pages, int pageSize, DateTimeOffset since, DateTimeOffset until)
    {
        SourceRecord? previous = null;
        foreach (var page in pages)
        {
            Assert.NotEmpty(page.Records);
            Assert.True(page.Records.Count <= pageSize, $"a page has {page.Records.Count} records, more than {pageSize}");
            foreach (var record in page.Records)
            {
                Assert.True(record.ChangedAt <= until, $"{record.ExternalId} changed at {record.ChangedAt:O}, after Until {until:O}");
                Assert.True(record.ChangedAt >= since, $"{record.ExternalId} changed at {record.ChangedAt:O}, before {since:O}");
                Assert.Equal(TimeSpan.Zero, record.ChangedAt.Offset);
                if (previous is not null)
                    Assert.True(Compare(previous, record) < 0, $"{previous.ExternalId} is not before {record.ExternalId}");
                previous = record;
            }
            var (changedAt, externalId) = KeyOf(page.Checkpoint);
            Assert.Equal(page.Records[^1].ChangedAt, changedAt);
            Assert.Equal(page.Records[^1].ExternalId, externalId);
        }
    }
}
