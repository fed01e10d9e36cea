using System.Collections.Concurrent;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Platform.Plugins.Testing;

/// <summary>
/// Serves a <see cref="MarketplaceFake"/> over real HTTP with WireMock.Net, with faults queued in front of it
/// (429 with Retry-After, 5xx, malformed bodies) and a log of every request it answered.
/// </summary>
public sealed class FakeMarketplaceServer : IDisposable
{
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentQueue<FakeRequest> _log = new();
    private int _pageRequests;

    /// <summary>Starts a server on a free loopback port.</summary>
    public FakeMarketplaceServer(MarketplaceFake fake)
    {
        Fake = fake;
        Server = WireMockServer.Start();
        Server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(Answer));
    }

    /// <summary>The marketplace being served.</summary>
    public MarketplaceFake Fake { get; }

    /// <summary>The WireMock server (for extra stubs a connector's own tests need).</summary>
    public WireMockServer Server { get; }

    /// <summary>The server's root URL, e.g. <c>http://127.0.0.1:51234</c>: what a connector's <c>baseUrl</c> points at.</summary>
    public string Url => Server.Url!;

    /// <summary>Every request answered so far, oldest first.</summary>
    public IReadOnlyList<FakeRequest> Requests => [.. _log];

    /// <summary>Page requests answered so far (see <see cref="MarketplaceFake.IsPageRequest"/>).</summary>
    public int PageRequests => Volatile.Read(ref _pageRequests);

    /// <summary>Faults queued and not yet served.</summary>
    public int PendingFaults => _faults.Count;

    /// <summary>The next <paramref name="count"/> page requests after <paramref name="skip"/> more good ones answer <paramref name="response"/> instead.</summary>
    public void FailPages(FakeResponse response, int count = 1, int skip = 0)
    {
        var first = PageRequests + skip + 1;
        for (var i = 0; i < count; i++)
            _faults.Enqueue(new Fault(first + i, response));
    }

    /// <summary>Forgets the request log.</summary>
    public void ClearLog() => _log.Clear();

    private ResponseMessage Answer(IRequestMessage message)
    {
        var headers = message.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var request = new FakeRequest(message.Method, message.Path, message.RawQuery ?? "", headers, message.Body ?? "");
        _log.Enqueue(request);
        FakeResponse response;
        try
        {
            if (Fake.IsPageRequest(request))
            {
                var number = Interlocked.Increment(ref _pageRequests);
                response = _faults.TryPeek(out var fault) && fault.PageRequest <= number && _faults.TryDequeue(out fault)
                    ? fault.Response
                    : Fake.Handle(request);
            }
            else
                response = Fake.Handle(request);
        }
        catch (Exception e)
        {
            response = new FakeResponse(500, $"fake marketplace failed: {e}");
        }
        return ToWire(response);
    }

    private static ResponseMessage ToWire(FakeResponse response)
    {
        var headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new WireMockList<string>("application/json; charset=utf-8"),
        };
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            headers[name] = new WireMockList<string>(value);
        return new ResponseMessage
        {
            StatusCode = response.Status,
            Headers = headers,
            BodyData = new BodyData { BodyAsString = response.Body, DetectedBodyType = BodyType.String },
        };
    }

    /// <inheritdoc />
    public void Dispose() => Server.Stop();

    private sealed record Fault(int PageRequest, FakeResponse Response);
}
