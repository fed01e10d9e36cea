using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Platform.Plugins.Sandbox.Reading;

/// <summary>
/// A reusable buffer and writer for the raw JSON of the records of one read. Escaping is relaxed so Chinese text
/// stays readable, as marketplaces send it; validation is skipped because the payloads are written by fixed code
/// (the tests parse every one of them).
/// </summary>
internal sealed class JsonScratch : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly Utf8JsonWriter _writer;

    public JsonScratch() =>
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });

    public Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    public string Finish()
    {
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    public void Dispose() => _writer.Dispose();
}
