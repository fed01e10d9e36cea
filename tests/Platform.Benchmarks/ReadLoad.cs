using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Benchmarks;

/// <summary>What the concurrent readers measured: latency of every answered request, per kind and all together.</summary>
public sealed record ReadLoadResult(
    int Readers,
    TimeSpan Measured,
    LatencyStats? All,
    IReadOnlyList<LatencyStats> ByKind,
    int Requests,
    int Errors,
    int NotFound,
    IReadOnlyList<string> FirstErrors)
{
    public double RequestsPerSecond => Requests / Math.Max(0.001, Measured.TotalSeconds);
}

/// <summary>
/// <see cref="Readers"/> concurrent API clients on loopback, each sending one request after another with no pause
/// until stopped: the customers list (a random page of the first five, 25 a page, the default order), a customer
/// search (<c>q=</c> a 3–5 character piece of a name seen in a list) and a profile (of a customer seen in a list).
/// Client i reads from host i mod hosts, so the reads are spread evenly over the hosts of a cluster. Each request is
/// timed from sending until its whole body is read. An error is an exception, a timeout or a status other than 200,
/// except 404 on a profile (the customer was merged into another meanwhile), counted apart.
/// </summary>
public sealed class ReadLoad : IAsyncDisposable
{
    private static readonly string Customers = $"api/v1/merchants/{BenchStore.MerchantId}/customers";
    private static readonly string[] Kinds = ["list", "search", "profile"];
    private const int MaxErrorsKept = 5;
    private const int MaxKnown = 2000;

    private readonly HttpClient[] _clients;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<(string Kind, double Ms)>[] _samples;
    private readonly Task[] _loops;
    private readonly Stopwatch _clock = new();
    private readonly object _known = new();
    private readonly List<(string Id, string Name)> _customers = [];
    private int _errorCount;
    private int _notFound;
    private volatile bool _measuring;

    public ReadLoad(IReadOnlyList<Uri> hosts, int readers, string adminKey)
    {
        Readers = readers;
        _clients = hosts.Select(h =>
        {
            var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            var client = new HttpClient(handler) { BaseAddress = h, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
            return client;
        }).ToArray();
        _samples = Enumerable.Range(0, readers).Select(_ => new List<(string, double)>()).ToArray();
        _loops = new Task[readers];
    }

    public int Readers { get; }

    /// <summary>Starts the readers; requests count once <see cref="StartMeasuring"/> was called (the ones before warm up the hosts).</summary>
    public void Start()
    {
        for (var i = 0; i < Readers; i++)
        {
            var reader = i;
            _loops[i] = Task.Run(() => LoopAsync(reader, _stop.Token));
        }
    }

    public void StartMeasuring()
    {
        _clock.Restart();
        _measuring = true;
    }

    /// <summary>Stops the readers (in-flight requests are cancelled and not counted) and returns what was measured.</summary>
    public async Task<ReadLoadResult> StopAsync()
    {
        _measuring = false;
        _clock.Stop();
        await _stop.CancelAsync();
        await Task.WhenAll(_loops.Where(t => t is not null));
        var all = _samples.SelectMany(s => s).ToList();
        var byKind = Kinds.Select(k => all.Where(s => s.Kind == k).Select(s => s.Ms).ToList()).Select((ms, i) => (Kinds[i], ms))
            .Where(x => x.ms.Count > 0).Select(x => LatencyStats.Of(x.Item1, x.ms)).ToList();
        return new ReadLoadResult(Readers, _clock.Elapsed, all.Count > 0 ? LatencyStats.Of("all", all.Select(s => s.Ms).ToList()) : null, byKind,
            all.Count + _errorCount + _notFound, _errorCount, _notFound, _errors.ToList());
    }

    private async Task LoopAsync(int reader, CancellationToken stop)
    {
        var client = _clients[reader % _clients.Length];
        var random = new Random(reader * 7919 + 17);
        var samples = _samples[reader];
        var n = reader;
        while (!stop.IsCancellationRequested)
        {
            var kind = Kinds[n++ % Kinds.Length];
            var (path, knownCustomer) = PathFor(kind, random);
            var measuring = _measuring;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(path, stop);
                var body = await response.Content.ReadAsStringAsync(stop);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    if (kind == "list") Learn(body);
                    if (measuring && _measuring) samples.Add((kind, ms));
                }
                else if (response.StatusCode == HttpStatusCode.NotFound && knownCustomer)
                {
                    if (measuring && _measuring) Interlocked.Increment(ref _notFound);
                }
                else if (measuring && _measuring)
                {
                    Error($"{kind} GET /{path}: {(int)response.StatusCode} {response.StatusCode}: {Short(body)}");
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                if (measuring && _measuring) Error($"{kind} GET /{path}: {e.GetType().Name}: {e.Message}");
                // A refused connection (a host that died) should not spin the core.
                try { await Task.Delay(50, stop); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>The path of a request of <paramref name="kind"/>, and whether it names a customer seen in a list (a 404 is then not an error).</summary>
    private (string Path, bool KnownCustomer) PathFor(string kind, Random random)
    {
        (string Id, string Name)? known = null;
        lock (_known)
        {
            if (_customers.Count > 0) known = _customers[random.Next(_customers.Count)];
        }
        return kind switch
        {
            "profile" when known is { } c => ($"{Customers}/{Uri.EscapeDataString(c.Id)}", true),
            "search" when known is { Name.Length: >= 3 } c => ($"{Customers}?q={Uri.EscapeDataString(PartOf(c.Name, random))}&pageSize=25", false),
            "search" => ($"{Customers}?q=ann&pageSize=25", false),
            _ => ($"{Customers}?page={random.Next(1, 6)}&pageSize=25", false),
        };
    }

    /// <summary>Keeps the ids and names of a listed page's customers (the latest <see cref="MaxKnown"/>) for searches and profiles.</summary>
    private void Learn(string body)
    {
        if (JsonNode.Parse(body)?["items"] is not JsonArray items) return;
        var seen = items.Select(i => (Id: i?["id"]?.GetValue<string>(), Name: i?["name"]?.GetValue<string>()?.Trim() ?? ""))
            .Where(c => c.Id is not null).Select(c => (c.Id!, c.Name)).ToList();
        if (seen.Count == 0) return;
        lock (_known)
        {
            _customers.AddRange(seen);
            if (_customers.Count > MaxKnown) _customers.RemoveRange(0, _customers.Count - MaxKnown);
        }
    }

    /// <summary>A random 3–5 character piece of <paramref name="name"/> that neither starts nor ends with a space (the host trims the query).</summary>
    private static string PartOf(string name, Random random)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var length = Math.Min(name.Length, random.Next(3, 6));
            var part = name.Substring(random.Next(name.Length - length + 1), length);
            if (part.Trim().Length == part.Length) return part;
        }
        return name[..3];
    }

    private void Error(string message)
    {
        if (Interlocked.Increment(ref _errorCount) <= MaxErrorsKept) _errors.Enqueue(message);
    }

    private static string Short(string text) => text.Length <= 200 ? text : text[..200] + "…";

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        try { await Task.WhenAll(_loops.Where(t => t is not null)); } catch (Exception) { /* already reported */ }
        foreach (var c in _clients) c.Dispose();
        _stop.Dispose();
    }
}
