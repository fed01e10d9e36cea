using System.Text.Json;

namespace Platform.Abstractions;

/// <summary>
/// Where a stream stands: opaque to the host, but always a JSON document (typically an
/// "updated since" time plus a page token). Stored atomically with the records of the page it follows.
/// </summary>
public sealed record StreamCursor
{
    /// <summary>Creates a cursor from a JSON document; throws <see cref="ArgumentException"/> if it is not valid JSON.</summary>
    public StreamCursor(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"A stream cursor must be JSON: {e.Message}", nameof(json), e);
        }
        Json = json;
    }

    /// <summary>The cursor as JSON.</summary>
    public string Json { get; }

    /// <summary>Serializes <paramref name="value"/> as the cursor.</summary>
    public static StreamCursor From<T>(T value) => new(JsonSerializer.Serialize(value, JsonSerializerOptions.Web));

    /// <summary>Reads the cursor back as <typeparamref name="T"/>.</summary>
    public T Read<T>() => JsonSerializer.Deserialize<T>(Json, JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException($"The cursor {Json} does not hold a {typeof(T).Name}.");

    /// <inheritdoc />
    public override string ToString() => Json;
}
