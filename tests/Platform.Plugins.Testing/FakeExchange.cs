using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;

namespace Platform.Plugins.Testing;

/// <summary>A request to the fake marketplace.</summary>
public sealed class FakeRequest
{
    /// <summary>Creates the request.</summary>
    public FakeRequest(string method, string path, string rawQuery, IReadOnlyDictionary<string, string> headers, string body)
    {
        Method = method;
        Path = path;
        RawQuery = rawQuery.TrimStart('?');
        Headers = headers;
        Body = body;
        var query = HttpUtility.ParseQueryString(RawQuery);
        Query = query.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => query[k]!, StringComparer.Ordinal);
    }

    /// <summary>GET, POST, …</summary>
    public string Method { get; }
    /// <summary>The path, without the query.</summary>
    public string Path { get; }
    /// <summary>The query string as sent, without '?'.</summary>
    public string RawQuery { get; }
    /// <summary>Query parameters, decoded (the first value of each).</summary>
    public IReadOnlyDictionary<string, string> Query { get; }
    /// <summary>Headers (case-insensitive names).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }
    /// <summary>The body as text.</summary>
    public string Body { get; }

    /// <summary>A query parameter, or null.</summary>
    public string? Q(string name) => Query.TryGetValue(name, out var v) ? v : null;

    /// <summary>A header, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>A field of a form-encoded body, or null.</summary>
    public string? Form(string name) => HttpUtility.ParseQueryString(Body)[name];

    /// <summary>The body as JSON.</summary>
    public JsonElement JsonBody()
    {
        using var doc = JsonDocument.Parse(Body.Length == 0 ? "null" : Body);
        return doc.RootElement.Clone();
    }

    /// <summary>The user and password of a Basic <c>Authorization</c> header, or null.</summary>
    public (string User, string Password)? Basic()
    {
        var value = Header("Authorization");
        if (value is null || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(value[6..].Trim()));
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The token of a Bearer <c>Authorization</c> header, or null.</summary>
    public string? Bearer()
    {
        var value = Header("Authorization");
        return value is not null && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path}{(RawQuery.Length > 0 ? "?" + RawQuery : "")}";
}

/// <summary>What the fake marketplace answers.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The body as text.</param>
/// <param name="Headers">Extra headers (Content-Type defaults to application/json).</param>
public sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    private static readonly JsonSerializerOptions Wire = new() { PropertyNamingPolicy = null };

    /// <summary>A JSON answer of <paramref name="value"/> (serialized as it is: use the marketplace's own property names).</summary>
    public static FakeResponse Json(object value, int status = 200, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, JsonSerializer.Serialize(value, Wire), headers);

    /// <summary>An empty answer with <paramref name="status"/>.</summary>
    public static FakeResponse Empty(HttpStatusCode status) => new((int)status, "");
}
