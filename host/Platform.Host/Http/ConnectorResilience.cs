using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Platform.Host.Http;

// Compiled into the host (public) and into the conformance kit (internal, CONNECTOR_KIT), so a test project that
// references both sees one type of each name.

/// <summary>How the host's connector HTTP pipeline behaves (<c>Platform:Http</c>).</summary>
#if CONNECTOR_KIT
internal
#else
public
#endif
sealed class ConnectorHttpOptions
{
    /// <summary>Time one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one call may take, retries and waits included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Base of the jittered exponential backoff (when the answer has no <c>Retry-After</c>).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait a <c>Retry-After</c> header may ask for; longer asks are waited for this long, then retried.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The circuit opens when this share of calls failed within <see cref="BreakerSamplingDuration"/>.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed within the sampling duration before the breaker may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Window the breaker measures failures over.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit rejects calls before trying again.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A plugin's declared call limit, from its manifest (<c>rateLimit</c>).</summary>
/// <param name="Requests">Calls allowed per period.</param>
/// <param name="PerSeconds">The period, in seconds.</param>
#if CONNECTOR_KIT
internal
#else
public
#endif
sealed record CallRate(int Requests, double PerSeconds);

/// <summary>
/// The resilience pipeline every connector's HTTP calls go through, one per store: per-store rate limiter (the
/// plugin's declared rate), total timeout, retries of 429, 5xx, timeouts and network errors with jittered
/// exponential backoff that honours <c>Retry-After</c> (seconds or date), a per-store circuit breaker, and a
/// timeout per attempt. Unsafe calls (POST: token refreshes) are retried only when the answer proves they were not
/// carried out (429, 503, no connection), and their one attempt may take the total timeout.
/// The same source is compiled into the conformance kit, so plugin authors test against it.
/// </summary>
#if CONNECTOR_KIT
internal
#else
public
#endif
static class ConnectorResilience
{
    /// <summary>Builds the pipeline of one store; <paramref name="store"/> names it in logs.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(string store, ConnectorHttpOptions options, CallRate? rate, ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"connector:{store}" };
        if (clock is not null)
            builder.TimeProvider = clock;
        if (rate is { Requests: > 0, PerSeconds: > 0 })
        {
            var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate.Requests,
                TokensPerPeriod = rate.Requests,
                ReplenishmentPeriod = TimeSpan.FromSeconds(rate.PerSeconds),
                QueueLimit = 10_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
            });
        }
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, clock ?? TimeProvider.System, options.MaxRetryAfter)),
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
                    logger.LogWarning("Store {Store}: {Method} {Endpoint} answered {Outcome}; retry {Attempt} in {Delay} ms",
                        store, request?.Method, Endpoint(request), Describe(args.Outcome), args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds);
                    ConnectorMetrics.Retried(store, args.Outcome.Result?.StatusCode);
                    return ValueTask.CompletedTask;
                },
            };
            var transient = retry.ShouldHandle;
            retry.ShouldHandle = args => IsUnsafe(args.Context) ? ValueTask.FromResult(NotProcessed(args.Outcome)) : transient(args);
            builder.AddRetry(retry);
        }
        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            OnOpened = args =>
            {
                logger.LogError("Store {Store}: marketplace calls keep failing ({Outcome}); pausing calls for {Seconds} s",
                    store, Describe(args.Outcome), (int)args.BreakDuration.TotalSeconds);
                ConnectorMetrics.BreakerOpened.Add(1, new KeyValuePair<string, object?>("platform.store", store));
                return ValueTask.CompletedTask;
            },
        });
        // An unsafe call is sent once and may take the whole budget (see NotProcessed): cutting it short after an
        // attempt's time would lose an answer that the retry cannot get back.
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(IsUnsafe(args.Context) ? options.TotalTimeout : options.AttemptTimeout),
        });
        return builder.Build();
    }

    /// <summary>POST, PUT, PATCH, DELETE: calls that may change something at the marketplace (for connectors: token refreshes).</summary>
    private static bool IsUnsafe(ResilienceContext context) =>
        context.GetRequestMessage()?.Method is { } method && method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Options;

    /// <summary>
    /// Whether an unsafe call certainly was not carried out, so sending it again is harmless: 429 and 503 answers, and
    /// connections that could not be made. After a timeout, a 500 or a dropped connection the marketplace may have done
    /// it; for a refresh with rotating refresh tokens (Mercado Libre, Shopee) the first call then already used the token,
    /// and a second call would fail with "invalid_grant" and cost the merchant a new authorization.
    /// </summary>
    private static bool NotProcessed(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result.StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } => true,
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
        _ => false,
    };

    /// <summary>
    /// The handler that sends through <paramref name="pipeline"/> to <paramref name="transport"/>, and an HttpClient over it
    /// (neither disposes the transport). Connectors get both: the client, and the handler to put their own handlers on.
    /// </summary>
    /// <paramref name="userAgent"/>, when given, is sent on every call that has none, whichever client a plugin builds on the handler.
    public static (HttpClient Client, HttpMessageHandler Handler) CreateClient(ResiliencePipeline<HttpResponseMessage> pipeline, HttpMessageHandler transport, string? userAgent = null)
    {
        HttpMessageHandler handler = new ResilienceHandler(pipeline) { InnerHandler = transport };
        if (userAgent is not null)
            handler = new UserAgentHandler(userAgent) { InnerHandler = handler };
        return (new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }, handler);
    }

    private sealed class UserAgentHandler(string userAgent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.UserAgent.Count == 0)
                request.Headers.UserAgent.ParseAdd(userAgent);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The wait a 429/503 answer asks for in <c>Retry-After</c> (seconds or an HTTP date), or null for the backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider clock, TimeSpan max)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
            return null;
        TimeSpan? wait = header.Delta ?? (header.Date is { } date ? date - clock.GetUtcNow() : null);
        if (wait is null)
            return null;
        if (wait < TimeSpan.Zero)
            return TimeSpan.Zero;
        return wait > max ? max : wait;
    }

    /// <summary>The request's path without its query (queries may carry tokens and signatures).</summary>
    public static string Endpoint(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri ? (uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.OriginalString.Split('?')[0]) : "(unknown endpoint)";

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception switch
        {
            TimeoutRejectedException => "a timeout",
            BrokenCircuitException => "an open circuit",
            RateLimiterRejectedException => "the rate limit",
            { } e => e.GetType().Name + ": " + e.Message,
            null => outcome.Result is { } r ? $"{(int)r.StatusCode} {(r.StatusCode == HttpStatusCode.TooManyRequests ? "Too Many Requests" : r.ReasonPhrase)}" : "nothing",
        };
}

/// <summary>Connector HTTP metrics (meter <c>Platform.Host</c>): retries by store and answer, 429s, circuits opened.</summary>
#if CONNECTOR_KIT
internal
#else
public
#endif
static class ConnectorMetrics
{
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("Platform.Host");
    public static readonly System.Diagnostics.Metrics.Counter<long> Retries = Meter.CreateCounter<long>("platform.http.retries", "{retry}",
        "Marketplace calls retried, by store and answer (a status code, or none for timeouts and network errors)");
    public static readonly System.Diagnostics.Metrics.Counter<long> RateLimited = Meter.CreateCounter<long>("platform.http.rate_limited", "{response}",
        "Marketplace answers 429 Too Many Requests, by store");
    public static readonly System.Diagnostics.Metrics.Counter<long> BreakerOpened = Meter.CreateCounter<long>("platform.http.circuit_opened", "{break}",
        "Times a store's circuit breaker opened after repeated failures");

    public static void Retried(string store, HttpStatusCode? status)
    {
        var storeTag = new KeyValuePair<string, object?>("platform.store", store);
        Retries.Add(1, storeTag, new KeyValuePair<string, object?>("http.response.status_code", status is { } s ? (int)s : 0));
        if (status == HttpStatusCode.TooManyRequests) RateLimited.Add(1, storeTag);
    }
}
