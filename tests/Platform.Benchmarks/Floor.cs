using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;
using Platform.Plugins.Sandbox;

namespace Platform.Benchmarks;

/// <summary>The floor: the same orders read in-process, then serialized, parsed and written with plain SQLite.</summary>
public sealed record FloorResult(
    int Orders,
    int Lines,
    int Pages,
    long PageBytes,
    TimeSpan Generation,
    TimeSpan Ingestion,
    long PeakManagedBytes,
    long AllocatedBytes,
    long? PeakRssBytes)
{
    /// <summary>Orders per second of serialization + parsing + writing (the sandbox generation is not included).</summary>
    public double OrdersPerSecond => Orders / Ingestion.TotalSeconds;
}

/// <summary>
/// Reads the store's orders from the sandbox plugin in-process (same store id, settings and window as the host's run)
/// and, per page, times: the page's raw records as one JSON array (as a marketplace page arrives), parsed back
/// with System.Text.Json, written in ONE SQLite transaction (WAL, synchronous=NORMAL) with prepared commands.
/// The time spent generating the sandbox pages is measured apart.
/// </summary>
public sealed class Floor(BenchStore store, TextWriter log)
{
    public async Task<FloorResult> RunAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("platform-floor-");
        try
        {
            return await MeasureAsync(Path.Combine(directory.FullName, "floor.db"), ct);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private async Task<FloorResult> MeasureAsync(string databasePath, CancellationToken ct)
    {
        using var http = new HttpClient();
        var connector = new SandboxPlugin().Create(new ConnectorContext
        {
            MerchantId = BenchStore.MerchantId,
            StoreId = BenchStore.StoreId,
            Settings = ConnectorSettings.Parse(store.SettingsJson),
            Http = http,
            Logger = NullLogger.Instance,
            Clock = TimeProvider.System,
            Tokens = new NoTokens(),
        });
        var window = new ReadWindow(store.Since, DateTimeOffset.UtcNow);

        using var writer = new FloorWriter(databasePath);
        var generation = new Stopwatch();
        var ingestion = new Stopwatch();
        int orders = 0, lines = 0, pages = 0;
        long pageBytes = 0, peakManaged = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long allocatedByGeneration = 0;

        await using var enumerator = connector.ReadAsync(StreamName.Orders, cursor: null, window, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            generation.Start();
            var more = await enumerator.MoveNextAsync();
            generation.Stop();
            allocatedByGeneration += GC.GetTotalAllocatedBytes(precise: false) - allocated;
            if (!more) break;
            var page = enumerator.Current;

            ingestion.Start();
            var wire = PageCodec.Serialize(page.Records);
            var parsed = PageCodec.Parse(wire);
            writer.WritePage(BenchStore.StoreId, parsed);
            ingestion.Stop();

            orders += parsed.Count;
            lines += parsed.Sum(o => o.Lines.Length);
            pages++;
            pageBytes += wire.Length;
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: false));
        }
        var allocatedByIngestion = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore - allocatedByGeneration;

        var stored = writer.CountOrders();
        if (stored != orders) throw new BenchmarkException($"the floor wrote {orders} orders but its database holds {stored}");
        log.WriteLine($"floor: {orders} orders ({lines} lines) in {pages} pages; generation {generation.Elapsed.TotalSeconds:0.00} s, serialize+parse+write {ingestion.Elapsed.TotalSeconds:0.00} s");
        return new FloorResult(orders, lines, pages, pageBytes, generation.Elapsed, ingestion.Elapsed, peakManaged, allocatedByIngestion,
            ProcMemory.Peak(Environment.ProcessId));
    }

    private sealed class NoTokens : ITokenStore
    {
        public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
        public Task SetAsync(string name, string value, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>An order as parsed from a marketplace page.</summary>
public sealed record ParsedOrder(string Id, string RawJson, string Buyer, long Created, long Updated, string Status, string Currency, decimal Total, ParsedLine[] Lines);

public readonly record struct ParsedLine(string Sku, int Quantity, decimal Price);

/// <summary>A page on the wire: the records' payloads as one UTF-8 JSON array, and back.</summary>
public static class PageCodec
{
    public static byte[] Serialize(IReadOnlyList<SourceRecord> records)
    {
        var size = 2 + records.Count;
        foreach (var r in records) size += r.RawJson.Length;
        var text = new System.Text.StringBuilder(size);
        text.Append('[');
        for (var i = 0; i < records.Count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(records[i].RawJson);
        }
        text.Append(']');
        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Parses the sandbox's order payload (snake_case, Unix seconds): order_sn, buyer_user_id, times, status, currency, total, item_list.</summary>
    public static List<ParsedOrder> Parse(byte[] page)
    {
        using var doc = JsonDocument.Parse(page);
        var orders = new List<ParsedOrder>(doc.RootElement.GetArrayLength());
        foreach (var o in doc.RootElement.EnumerateArray())
        {
            var items = o.GetProperty("item_list");
            var lines = new ParsedLine[items.GetArrayLength()];
            var n = 0;
            foreach (var item in items.EnumerateArray())
                lines[n++] = new ParsedLine(
                    item.GetProperty("item_sku").GetString()!,
                    item.GetProperty("model_quantity_purchased").GetInt32(),
                    item.GetProperty("model_original_price").GetDecimal());
            orders.Add(new ParsedOrder(
                o.GetProperty("order_sn").GetString()!,
                o.GetRawText(),
                o.GetProperty("buyer_user_id").GetString()!,
                o.GetProperty("create_time").GetInt64(),
                o.GetProperty("update_time").GetInt64(),
                o.GetProperty("order_status").GetString()!,
                o.GetProperty("currency").GetString()!,
                o.GetProperty("total_amount").GetDecimal(),
                lines));
        }
        return orders;
    }
}
