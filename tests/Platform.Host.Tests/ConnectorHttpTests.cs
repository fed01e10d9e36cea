using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Abstractions;
using Platform.Host.Http;
using Platform.Host.Infrastructure;
using Platform.Host.Tests.Support;
using Polly.CircuitBreaker;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>The host's connector HTTP pipeline against a real HTTP server with faults.</summary>
public sealed class ConnectorHttpTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ListLogger _log = new();

    private static PluginManifest Manifest(PluginRateLimit? rate = null) => new()
    {
        Id = "fake", Name = "Fake", Version = "1.0.0", Contract = 1, Assembly = "Fake.dll", Streams = ["orders"],
        Settings = JsonDocument.Parse("{}").RootElement, RateLimit = rate,
    };

    private ConnectorHttp Http(Action<ConnectorHttpOptions>? configure = null)
    {
        var options = new PlatformOptions();
        options.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        configure?.Invoke(options.Http);
        return new ConnectorHttp(Options.Create(options), new SingleLoggerFactory(_log), TimeProvider.System);
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_or_as_a_date_and_capped()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new FixedClock(now);
        var max = TimeSpan.FromMinutes(2);
        static HttpResponseMessage With(RetryConditionHeaderValue? value) => new(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = value } };

        Assert.Equal(TimeSpan.FromSeconds(7), ConnectorResilience.RetryAfter(With(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))), clock, max));
        Assert.Equal(TimeSpan.FromSeconds(30), ConnectorResilience.RetryAfter(With(new RetryConditionHeaderValue(now.AddSeconds(30))), clock, max));
        Assert.Equal(TimeSpan.Zero, ConnectorResilience.RetryAfter(With(new RetryConditionHeaderValue(now.AddSeconds(-30))), clock, max));
        Assert.Equal(max, ConnectorResilience.RetryAfter(With(new RetryConditionHeaderValue(TimeSpan.FromHours(3))), clock, max));
        Assert.Null(ConnectorResilience.RetryAfter(With(null), clock, max));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_wait_it_asks_for_and_the_log_names_store_and_endpoint_without_the_query()
    {
        _server.Given(Request.Create().WithPath("/orders")).InScenario("429").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _server.Given(Request.Create().WithPath("/orders")).InScenario("429").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("[]"));
        using var http = Http();
        using var client = http.ClientFor("m1", "s1", Manifest()).Client;

        var response = await client.GetAsync($"{_server.Url}/orders?access_token=SECRET-TOKEN");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.LogEntries.Count());
        Assert.All(_server.LogEntries, e => Assert.Equal("platform-crm/1.0 (fake)", e.RequestMessage.Headers!["User-Agent"].Single()));
        var retry = Assert.Single(_log.Lines, l => l.Contains("retry 1", StringComparison.Ordinal));
        Assert.Contains("m1/s1", retry, StringComparison.Ordinal);
        Assert.Contains("/orders", retry, StringComparison.Ordinal);
        Assert.Contains("429", retry, StringComparison.Ordinal);
        Assert.Contains("in 1000 ms", retry, StringComparison.Ordinal); // the header's wait, not the 10 ms backoff
        Assert.DoesNotContain(_log.Lines, l => l.Contains("SECRET-TOKEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_errors_are_retried_but_a_401_is_answered_at_once()
    {
        _server.Given(Request.Create().WithPath("/flaky")).InScenario("5xx").WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/flaky")).InScenario("5xx").WhenStateIs("second").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(500));
        _server.Given(Request.Create().WithPath("/flaky")).InScenario("5xx").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200));
        _server.Given(Request.Create().WithPath("/denied")).RespondWith(Response.Create().WithStatusCode(401));
        using var http = Http();
        using var client = http.ClientFor("m1", "s1", Manifest()).Client;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{_server.Url}/flaky")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"{_server.Url}/denied")).StatusCode);

        Assert.Equal(3, _server.LogEntries.Count(e => e.RequestMessage.Path == "/flaky"));
        Assert.Equal(1, _server.LogEntries.Count(e => e.RequestMessage.Path == "/denied"));
    }

    [Fact]
    public async Task A_store_whose_calls_keep_failing_opens_its_own_circuit_only()
    {
        _server.Given(Request.Create().WithPath("/down")).RespondWith(Response.Create().WithStatusCode(500));
        _server.Given(Request.Create().WithPath("/up")).RespondWith(Response.Create().WithStatusCode(200));
        using var http = Http(o =>
        {
            o.MaxRetries = 0;
            o.BreakerMinimumThroughput = 3;
            o.BreakerFailureRatio = 0.5;
            o.BreakDuration = TimeSpan.FromMinutes(5);
        });
        using var failing = http.ClientFor("m1", "broken", Manifest()).Client;
        for (var i = 0; i < 3; i++)
            await failing.GetAsync($"{_server.Url}/down");

        await Assert.ThrowsAsync<BrokenCircuitException>(() => failing.GetAsync($"{_server.Url}/up"));
        using var again = http.ClientFor("m1", "broken", Manifest()).Client; // the next run of the same store
        await Assert.ThrowsAsync<BrokenCircuitException>(() => again.GetAsync($"{_server.Url}/up"));
        using var other = http.ClientFor("m1", "healthy", Manifest()).Client;
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"{_server.Url}/up")).StatusCode);
        Assert.Contains(_log.Lines, l => l.Contains("m1/broken", StringComparison.Ordinal) && l.Contains("pausing calls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_manifest_rate_limit_holds_a_stores_calls_back_and_not_another_stores()
    {
        _server.Given(Request.Create().WithPath("/limited")).RespondWith(Response.Create().WithStatusCode(200));
        var manifest = Manifest(new PluginRateLimit(1, 3600));
        using var http = Http();
        using var store = http.ClientFor("m1", "s1", manifest).Client;
        using var other = http.ClientFor("m1", "s2", manifest).Client;

        Assert.Equal(HttpStatusCode.OK, (await store.GetAsync($"{_server.Url}/limited")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"{_server.Url}/limited")).StatusCode);
        using var cts = new CancellationTokenSource();
        var queued = store.GetAsync($"{_server.Url}/limited", cts.Token);
        var reached = await Eventually.Within(() => _server.LogEntries.Count() > 2, TimeSpan.FromSeconds(2));
        Assert.False(reached, "the second call of s1 reached the server although its plugin allows one call per hour");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(2, _server.LogEntries.Count());
    }

    public void Dispose() => _server.Stop();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _lines = [];
        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add(formatter(state, exception));
        }
    }

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider) { }
        public ILogger CreateLogger(string categoryName) => logger;
        public void Dispose() { }
    }
}
