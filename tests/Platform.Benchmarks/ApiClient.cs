using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Benchmarks;

/// <summary>One run as listed by <c>GET /api/v1/merchants/{m}/stores/{s}/runs</c>.</summary>
public sealed record RunInfo(long Id, string Stream, string Status, int Pages, int Read, int Inserted, int Updated, int Skipped, string? Error);

/// <summary>A customer as listed by <c>GET /api/v1/merchants/{m}/customers</c> (the fields the identity mode uses).</summary>
public sealed record CustomerSummary(string Id, string? Name, string? Email);

/// <summary>One page of <c>GET …/customers</c> and the total of the list.</summary>
public sealed record CustomerPage(IReadOnlyList<CustomerSummary> Items, int Total);

/// <summary>The REST API calls the benchmark makes, each checking its status code.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(Uri baseAddress, string adminKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
    }

    /// <summary>GET /health/ready: (true, body) on 200; (false, why) while the host is starting or not listening yet.</summary>
    public async Task<(bool Ready, string Body)> ReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync("health/ready", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return (response.StatusCode == HttpStatusCode.OK, body);
        }
        catch (HttpRequestException e)
        {
            return (false, e.Message);
        }
    }

    public Task CreateMerchantAsync(string id, string name, string currency, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/merchants", new JsonObject { ["id"] = id, ["name"] = name, ["currency"] = currency }, HttpStatusCode.Created, ct);

    public Task PutStoreAsync(string merchant, string store, JsonObject request, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"api/v1/merchants/{merchant}/stores/{store}", request, HttpStatusCode.Created, ct);

    /// <summary>POST …/sync?stream=…: the id of the run it started.</summary>
    public async Task<long> StartSyncAsync(string merchant, string store, string stream, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Post, $"api/v1/merchants/{merchant}/stores/{store}/sync?stream={stream}", null, HttpStatusCode.Accepted, ct);
        var runs = body["runs"]?.AsArray() ?? throw new BenchmarkException($"POST sync answered without runs: {body.ToJsonString()}");
        if (runs.Count != 1 || runs[0]?["id"] is not { } id)
            throw new BenchmarkException($"POST sync should start exactly one run: {body.ToJsonString()}");
        if (runs[0]?["alreadyRunning"]?.GetValue<bool>() == true)
            throw new BenchmarkException($"a run of the stream was already running (a schedule fired?): {body.ToJsonString()}");
        return id.GetValue<long>();
    }

    public async Task<RunInfo> GetRunAsync(string merchant, string store, long runId, CancellationToken ct)
    {
        var body = await GetAsync($"api/v1/merchants/{merchant}/stores/{store}/runs?pageSize=500", ct);
        var items = body["items"].Deserialize<List<RunInfo>>(BenchStore.Json) ?? [];
        return items.FirstOrDefault(r => r.Id == runId)
            ?? throw new BenchmarkException($"run {runId} is not in GET …/runs: {body.ToJsonString()}");
    }

    /// <summary>GET /merchants/{m} → pendingEvents (buyer changes not yet applied to profiles).</summary>
    public async Task<int> PendingEventsAsync(string merchant, CancellationToken ct)
    {
        var (pending, body) = await PendingEventsOrNullAsync(merchant, ct);
        return pending ?? throw new BenchmarkException($"GET merchant answered without pendingEvents: {body.ToJsonString()}");
    }

    /// <summary>
    /// pendingEvents, or null when the merchant's answer has none (missing or null): a host with identity
    /// resolution switched off may not report it.
    /// </summary>
    public async Task<int?> TryPendingEventsAsync(string merchant, CancellationToken ct) => (await PendingEventsOrNullAsync(merchant, ct)).Pending;

    private async Task<(int? Pending, JsonObject Body)> PendingEventsOrNullAsync(string merchant, CancellationToken ct)
    {
        var body = await GetAsync($"api/v1/merchants/{merchant}", ct);
        return (body["pendingEvents"]?.GetValue<int>(), body);
    }

    /// <summary>GET …/customers?page=…&amp;pageSize=… in the default order (last order first).</summary>
    public async Task<CustomerPage> CustomersAsync(string merchant, int page, int pageSize, CancellationToken ct)
    {
        var body = await GetAsync($"api/v1/merchants/{merchant}/customers?page={page}&pageSize={pageSize}", ct);
        var items = body["items"].Deserialize<List<CustomerSummary>>(BenchStore.Json)
            ?? throw new BenchmarkException($"GET customers answered without items: {body.ToJsonString()}");
        var total = body["total"]?.GetValue<int>() ?? throw new BenchmarkException($"GET customers answered without total: {body.ToJsonString()}");
        return new CustomerPage(items, total);
    }

    /// <summary>GET <paramref name="path"/> (relative to the host, e.g. <c>api/v1/…</c>), expecting 200: the whole body as text.</summary>
    public Task<string> GetTextAsync(string path, CancellationToken ct) => SendTextAsync(HttpMethod.Get, path, null, HttpStatusCode.OK, ct);

    public Task<int> CustomersTotalAsync(string merchant, CancellationToken ct) => TotalAsync($"api/v1/merchants/{merchant}/customers?pageSize=1", ct);

    public Task<int> OrdersTotalAsync(string merchant, CancellationToken ct) => TotalAsync($"api/v1/merchants/{merchant}/orders?pageSize=1", ct);

    private async Task<int> TotalAsync(string path, CancellationToken ct)
    {
        var body = await GetAsync(path, ct);
        return body["total"]?.GetValue<int>() ?? throw new BenchmarkException($"GET {path} answered without total: {body.ToJsonString()}");
    }

    /// <summary>POST <paramref name="path"/> with a JSON body, expecting 200: the answer.</summary>
    public Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, HttpStatusCode.OK, ct);

    public Task<JsonObject> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, HttpStatusCode.OK, ct);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? content, HttpStatusCode expected, CancellationToken ct)
    {
        var text = await SendTextAsync(method, path, content, expected, ct);
        if (text.Length == 0) return [];
        return JsonNode.Parse(text) as JsonObject ?? throw new BenchmarkException($"{method} /{path} did not answer a JSON object: {text}");
    }

    private async Task<string> SendTextAsync(HttpMethod method, string path, JsonObject? content, HttpStatusCode expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (content is not null) request.Content = JsonContent.Create(content);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new BenchmarkException($"{method} /{path} failed: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new BenchmarkException($"{method} /{path} got no answer within {_http.Timeout.TotalSeconds:0} s");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != expected)
                throw new BenchmarkException($"{method} /{path} answered {(int)response.StatusCode} {response.StatusCode}, expected {(int)expected}: {text}");
            return text;
        }
    }

    public void Dispose() => _http.Dispose();
}
