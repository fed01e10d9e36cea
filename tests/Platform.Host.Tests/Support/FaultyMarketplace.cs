using System.Collections.Concurrent;
using Platform.Plugins.Testing;
using WireMock;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Platform.Host.Tests.Support;

/// <summary>What a faulty marketplace does to one page request: answer late, answer something else, or both.</summary>
/// <param name="Response">The answer instead of the marketplace's own (null: the marketplace answers).</param>
/// <param name="Delay">How long the answer takes after the request was carried out (longer than the host's attempt timeout: a timeout).</param>
public sealed record MarketplaceFault(FakeResponse? Response = null, TimeSpan Delay = default)
{
    public static MarketplaceFault TooManyRequests(int retryAfterSeconds) =>
        new(new FakeResponse(429, """{"message":"Too many requests","error":"too_many_requests","status":429,"cause":[]}""",
            new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

    public static MarketplaceFault Unavailable { get; } = new(new FakeResponse(503, """{"message":"Service Unavailable","error":"service_unavailable","status":503,"cause":[]}"""));

    public static MarketplaceFault Hang(TimeSpan delay) => new(null, delay);
}

/// <summary>One answer of the faulty marketplace, for tests that check what the host did (e.g. waited as Retry-After asked).</summary>
public sealed record MarketplaceExchange(DateTimeOffset At, FakeRequest Request, int Status, int? PageRequest);

/// <summary>
/// A <see cref="MarketplaceFake"/> (the documented wire format of a real marketplace) served over real HTTP by WireMock.Net
/// with a fault rule in front of it: the rule sees each request and, for page requests, their number (1, 2, … over the
/// server's life), and may delay it or answer in the marketplace's place. Unlike the kit's <see cref="FakeMarketplaceServer"/>,
/// answers can be late (timeouts) and faults can follow a pattern (30 % of all pages) rather than a queue.
/// </summary>
public sealed class FaultyMarketplace : IDisposable
{
    private readonly ConcurrentQueue<MarketplaceExchange> _log = new();
    private int _pageRequests;

    public FaultyMarketplace(MarketplaceFake fake)
    {
        Fake = fake;
        Server = WireMockServer.Start();
        Server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(AnswerAsync));
    }

    public MarketplaceFake Fake { get; }
    public WireMockServer Server { get; }
    public string Url => Server.Url!;

    /// <summary>
    /// The fault of a request (null: none), given the page request's number or null for other calls (tokens, metadata).
    /// Replace it between runs.
    /// </summary>
    public Func<int?, FakeRequest, MarketplaceFault?> Faults { get; set; } = (_, _) => null;

    public int PageRequests => Volatile.Read(ref _pageRequests);

    /// <summary>Every answer so far, in the order they were given.</summary>
    public IReadOnlyList<MarketplaceExchange> Log => [.. _log];

    private async Task<IResponseMessage> AnswerAsync(IRequestMessage message)
    {
        var headers = message.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var request = new FakeRequest(message.Method, message.Path, message.RawQuery ?? "", headers, message.Body ?? "");
        int? page = Fake.IsPageRequest(request) ? Interlocked.Increment(ref _pageRequests) : null;
        var fault = Faults(page, request);
        FakeResponse response;
        try
        {
            response = fault?.Response ?? Fake.Handle(request);
        }
        catch (Exception e)
        {
            response = new FakeResponse(500, $"fake marketplace failed: {e}");
        }
        // Done, but slow to answer (the host may give up first): what a marketplace under load does.
        if (fault is { Delay: var delay } && delay > TimeSpan.Zero)
            await Task.Delay(delay);
        _log.Enqueue(new MarketplaceExchange(DateTimeOffset.UtcNow, request, response.Status, page));
        var wireHeaders = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new WireMockList<string>("application/json; charset=utf-8"),
        };
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            wireHeaders[name] = new WireMockList<string>(value);
        return new ResponseMessage
        {
            StatusCode = response.Status,
            Headers = wireHeaders,
            BodyData = new BodyData { BodyAsString = response.Body, DetectedBodyType = BodyType.String },
        };
    }

    public void Dispose() => Server.Stop();
}
