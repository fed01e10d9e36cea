using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Console.Services;

/// <summary>What an API call answered: the status, the JSON body, and for a problem its detail and field errors.</summary>
public sealed record ApiResult(HttpStatusCode Status, JsonElement Body)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>The problem's <c>detail</c> (or title), in the API's words.</summary>
    public string? Detail => Body.ValueKind == JsonValueKind.Object
        ? (Body.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
            : Body.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
        : null;

    /// <summary>A validation problem's messages by field (e.g. <c>settings.shopId</c>, <c>businessHours.close</c>).</summary>
    public IReadOnlyDictionary<string, string> Errors
    {
        get
        {
            var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                foreach (var entry in e.EnumerateObject())
                    errors[entry.Name] = string.Join(" ", entry.Value.EnumerateArray().Select(m => m.GetString()));
            return errors;
        }
    }

    /// <summary>Everything wrong in one line, for a message bar.</summary>
    public string Message => Errors.Count > 0 ? string.Join("; ", Errors.Select(e => $"{e.Key}: {e.Value}")) : Detail ?? $"{(int)Status} {Status}";
}

/// <summary>
/// The host's REST API as the console calls it: with the signed-in key, merchant routes under the chosen merchant. The
/// console has no other access to data, so it sees exactly what the key may see.
/// </summary>
public sealed class ConsoleApi(HttpClient http, ConsoleSession session)
{
    public string Merchant => session.Merchant ?? throw new InvalidOperationException("Nobody is signed in.");

    /// <summary>A merchant route: <c>/api/v1/merchants/{m}{path}</c>.</summary>
    public string M(string path) => $"/api/v1/merchants/{Uri.EscapeDataString(Merchant)}{path}";

    public Task<ApiResult> GetAsync(string url, CancellationToken ct = default) => SendAsync(HttpMethod.Get, url, null, ct);
    public Task<ApiResult> PostAsync(string url, object? body = null, CancellationToken ct = default) => SendAsync(HttpMethod.Post, url, body, ct);
    public Task<ApiResult> PutAsync(string url, object body, CancellationToken ct = default) => SendAsync(HttpMethod.Put, url, body, ct);
    public Task<ApiResult> PatchAsync(string url, object body, CancellationToken ct = default) => SendAsync(HttpMethod.Patch, url, body, ct);
    public Task<ApiResult> DeleteAsync(string url, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, url, null, ct);

    /// <summary>Calls with a key given here (sign-in tries a key before it is kept).</summary>
    public Task<ApiResult> GetWithKeyAsync(string url, string apiKey, CancellationToken ct = default) => SendAsync(HttpMethod.Get, url, null, ct, apiKey);

    private async Task<ApiResult> SendAsync(HttpMethod method, string url, object? body, CancellationToken ct, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, url);
        var key = apiKey ?? session.ApiKey;
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var json = string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
            return new ApiResult(response.StatusCode, json);
        }
        catch (HttpRequestException e)
        {
            return new ApiResult(HttpStatusCode.ServiceUnavailable, JsonSerializer.SerializeToElement(new { detail = $"The host did not answer: {e.Message}" }));
        }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
