using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Extensions.Logging;
using Platform.Abstractions;

namespace Platform.Plugins.CsvImport;

/// <summary>Which files were read, and in which version (size and last write time), so a run reads only what changed.</summary>
internal sealed record CsvCursor(Dictionary<string, string> Files);

/// <summary>
/// One store: a CSV file or a folder of them. Each run reads the files that changed since the last run, in name
/// order, and hands over pages of orders; the checkpoint after a file's last page records its version. Consecutive
/// rows with the same order id are one order with several lines. A row that does not parse is logged with file,
/// line and column and skipped; the rest of the file is imported. A column the settings name but the file lacks
/// fails the run, naming both.
/// </summary>
internal sealed class CsvConnector(ConnectorContext context, CsvSettings settings) : IConnector
{
    private const int PageSize = 1000;

    public Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var files = Files();
        if (files.Count == 0)
            return Task.FromResult(CheckResult.Failure(Directory.Exists(settings.Path)
                ? $"The folder '{settings.Path}' holds no files. Put the CSV exports there or point 'path' at a file."
                : $"'{settings.Path}' is neither a file nor a folder on the host. Fix the 'path' setting (the host reads it, not your browser)."));
        foreach (var file in files)
        {
            try
            {
                using var reader = new RowReader(file, settings);
                reader.Map();
            }
            catch (ConnectorDataException e)
            {
                return Task.FromResult(CheckResult.Failure(e.Message));
            }
        }
        return Task.FromResult(CheckResult.Success($"{files.Count} file(s) to read, the first {System.IO.Path.GetFileName(files[0])}"));
    }

    public async IAsyncEnumerable<RecordPage> ReadAsync(StreamName stream, StreamCursor? cursor, ReadWindow window,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (stream != StreamName.Orders) throw new NotSupportedException($"csv-import reads orders only, not {stream.ToWire()}.");
        var done = cursor?.Read<CsvCursor>().Files ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Files())
        {
            var name = System.IO.Path.GetFileName(file);
            var info = new FileInfo(file);
            var version = $"{info.Length}:{info.LastWriteTimeUtc.Ticks}";
            if (done.TryGetValue(name, out var read) && read == version) continue;
            var page = new List<SourceRecord>(PageSize);
            var problems = new List<string>();
            var skipped = 0;
            using (var reader = new RowReader(file, settings))
            {
                var map = reader.Map();
                OrderBuilder? open = null;
                foreach (var row in reader.Rows())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var parsed = RowParser.Parse(row, map, settings, name);
                    if (parsed.Problem is { } problem)
                    {
                        skipped++;
                        problems.Add($"{name} line {row.Line}, column {problem.Column} ({problem.Field}): {problem.Message}; the row is skipped");
                        context.Logger.LogWarning("csv-import {Store}: {File} line {Line}, column {Column} ({Field}): {Problem}; the row is skipped",
                            context.StoreId, name, row.Line, problem.Column, problem.Field, problem.Message);
                        continue;
                    }
                    var o = parsed.Row!;
                    if (open is not null && open.Id == o.OrderId) { open.Add(o); continue; }
                    if (open is not null) page.Add(open.Build());
                    open = new OrderBuilder(o);
                    if (page.Count >= PageSize)
                    {
                        yield return new RecordPage(page, StreamCursor.From(new CsvCursor(done))) { Problems = problems };
                        page = new List<SourceRecord>(PageSize);
                        problems = [];
                    }
                }
                if (open is not null) page.Add(open.Build());
            }
            done = new Dictionary<string, string>(done, StringComparer.Ordinal) { [name] = version };
            if (skipped > 0)
                context.Logger.LogWarning("csv-import {Store}: {File}: {Skipped} row(s) skipped, see the lines above", context.StoreId, name, skipped);
            yield return new RecordPage(page, StreamCursor.From(new CsvCursor(done))) { Problems = problems };
        }
        await Task.CompletedTask;
    }

    /// <summary>The file, or the folder's files in name order.</summary>
    private List<string> Files()
    {
        if (File.Exists(settings.Path)) return [settings.Path];
        if (!Directory.Exists(settings.Path)) return [];
        return Directory.GetFiles(settings.Path).Where(f => !System.IO.Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Consecutive rows of one order become its lines.</summary>
    private sealed class OrderBuilder(ParsedRow first)
    {
        private readonly List<ParsedRow> _rows = [first];
        public string Id => first.OrderId;

        public void Add(ParsedRow row) => _rows.Add(row);

        public OrderRecord Build()
        {
            var lines = _rows.Where(r => r.Sku is not null)
                .Select(r => new OrderLine(r.Sku!, r.Sku!, r.Quantity, r.Quantity == 0 ? r.Total : decimal.Round(r.Total / r.Quantity, 4)))
                .ToList();
            var raw = JsonSerializer.Serialize(new { file = first.File, rows = _rows.Select(r => new { line = r.Line, fields = r.Fields }) });
            return new OrderRecord
            {
                ExternalId = first.OrderId,
                Buyer = new BuyerIdentity { BuyerId = first.BuyerId, Email = first.Email, Phone = first.Phone, Name = first.Name },
                CreatedAt = first.Date,
                UpdatedAt = first.Date,
                Status = OrderStatus.Completed,
                Currency = first.Currency,
                Total = _rows.Sum(r => r.Total),
                Lines = lines,
                RawJson = raw,
            };
        }
    }
}

/// <summary>One row as read: its fields and its line in the file (1-based).</summary>
internal sealed record CsvRow(long Line, string[] Fields);

/// <summary>Reads a file's rows: CsvHelper for delimited files (quotes, delimiters inside quotes), runs of whitespace otherwise.</summary>
internal sealed class RowReader : IDisposable
{
    private readonly string _file;
    private readonly CsvSettings _settings;
    private readonly StreamReader _reader;
    private readonly CsvParser? _parser;
    private string[]? _header;

    public RowReader(string file, CsvSettings settings)
    {
        _file = file;
        _settings = settings;
        _reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true);
        if (!settings.Whitespace)
            _parser = new CsvParser(_reader, new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                Delimiter = settings.Delimiter, HasHeaderRecord = false, BadDataFound = null, MissingFieldFound = null, DetectDelimiter = false,
            });
        if (settings.HasHeader) _header = Next()?.Fields.Select(h => h.Trim()).ToArray() ?? [];
    }

    /// <summary>The position of each mapped field; throws naming the setting when the file has no such column.</summary>
    public IReadOnlyDictionary<string, int> Map()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (field, column) in _settings.Columns)
        {
            if (column.StartsWith('#'))
            {
                if (!int.TryParse(column.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                    throw new ConnectorDataException($"columns.{field} is '{column}': use #1, #2, … for a position, or a header name.");
                map[field] = n - 1;
                continue;
            }
            if (_header is null)
                throw new ConnectorDataException($"columns.{field} names the column '{column}', but hasHeader is false: use #n positions, or set hasHeader.");
            var index = Array.FindIndex(_header, h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                throw new ConnectorDataException($"columns.{field} is '{column}', which is not a column of {System.IO.Path.GetFileName(_file)} (its columns: {string.Join(", ", _header)}).");
            map[field] = index;
        }
        return map;
    }

    public IEnumerable<CsvRow> Rows()
    {
        while (Next() is { } row)
            if (row.Fields.Any(f => f.Length > 0)) yield return row;
    }

    private long _line;

    private CsvRow? Next()
    {
        if (_parser is not null)
            return _parser.Read() ? new CsvRow(_parser.RawRow, _parser.Record ?? []) : null;
        while (_reader.ReadLine() is { } text)
        {
            _line++;
            return new CsvRow(_line, text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        return null;
    }

    public void Dispose()
    {
        _parser?.Dispose();
        _reader.Dispose();
    }
}

/// <summary>The thrown message is the run's error: it names the setting or the file.</summary>
internal sealed class ConnectorDataException(string message) : Exception(message);
