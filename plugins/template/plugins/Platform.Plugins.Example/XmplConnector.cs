using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Platform.Abstractions;
using Platform.Plugins.Example.Api;
using Refit;

namespace Platform.Plugins.Example;

/// <summary>Reads one Example Marketplace store. The two methods to adapt: <see cref="CheckAsync"/> and <see cref="ReadAsync"/>.</summary>
internal sealed class XmplConnector : IConnector
{
    private const string Marketplace = "Example Marketplace";
    private const int PageSize = 100;

    private readonly IXmplApi _api;
    private readonly TimeProvider _clock;

    public XmplConnector(ConnectorContext context, XmplSettings settings)
    {
        _clock = context.Clock;
        // Your handlers first (auth, signing), then the host's pipeline: retries, Retry-After, rate limit, timeouts.
        var http = context.CreateHttpClient(settings.BaseUrl, new XmplAuthHandler(settings.ApiKey));
        _api = RestService.For<IXmplApi>(http);
    }

    /// <summary>One cheap authenticated call; a plain-language message either way.</summary>
    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = _clock.GetUtcNow();
            await FetchAsync(now.AddMinutes(-1), now, null, cancellationToken).ConfigureAwait(false);
            return CheckResult.Success($"Connected to {Marketplace}: the API key can read orders.");
        }
        catch (Exception e) when (e is ConnectorAuthException or HttpRequestException or MalformedPageException)
        {
            return CheckResult.Failure(e.Message);
        }
    }

    /// <summary>
    /// Orders changed in [cursor or window.Since, window.Until), oldest first, one page per call. The cursor is the
    /// last record's change time and the ids seen at that time, so a resumed read neither skips nor repeats.
    /// </summary>
    public async IAsyncEnumerable<RecordPage> ReadAsync(StreamName stream, StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (stream != StreamName.Orders)
            throw new NotSupportedException($"{Marketplace} has no {stream.ToWire()} stream in this plugin.");

        var key = cursor?.Read<Key>() ?? new Key(window.Since.ToUniversalTime(), []);
        var from = key.Time;
        string? token = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (page, raw) = await FetchAsync(from, window.Until, token, cancellationToken).ConfigureAwait(false);
            var records = new List<SourceRecord>();
            foreach (var (order, json) in page.Orders.Zip(raw))
            {
                var at = order.UpdatedAt.ToUniversalTime();
                if (at > window.Until || at < key.Time || (at == key.Time && key.Ids.Contains(order.Id)))
                    continue;
                key = at > key.Time ? new Key(at, [order.Id]) : key with { Ids = [.. key.Ids, order.Id] };
                records.Add(Map.Order(order, json));
            }
            if (records.Count > 0)
                yield return new RecordPage(records, StreamCursor.From(key));
            token = page.NextPageToken;
        }
        while (token is not null);

        // Everything before the window's end was read: the next run starts there.
        if (key.Time < window.Until)
            key = new Key(window.Until.ToUniversalTime(), []);
        yield return new RecordPage([], StreamCursor.From(key));
    }

    /// <summary>The cursor: a change time and the ids returned at exactly that time.</summary>
    internal sealed record Key(DateTimeOffset Time, string[] Ids);

    private async Task<(XmplOrderPage Page, List<string> Raw)> FetchAsync(DateTimeOffset after, DateTimeOffset before, string? token, CancellationToken ct)
    {
        using var response = await _api.ListOrdersAsync(Wire(after), Wire(before), PageSize, token, ct).ConfigureAwait(false);
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? "/v1/orders";
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new ConnectorAuthException(XmplSettings.ApiKeyName, $"{Marketplace} rejected the API key ({(int)response.StatusCode}): check apiKey.");
        if (!response.IsSuccessStatusCode) // 429/5xx were already retried by the host's pipeline
            throw new HttpRequestException($"{Marketplace} answered {path} with {(int)response.StatusCode}: {MalformedPageException.Snippet(body)}", null, response.StatusCode);
        try
        {
            using var document = JsonDocument.Parse(body);
            var page = document.RootElement.Deserialize<XmplOrderPage>() ?? throw new JsonException("empty page");
            var raw = document.RootElement.GetProperty("orders").EnumerateArray().Select(e => e.GetRawText()).ToList();
            return (page, raw);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MalformedPageException(Marketplace, path, body, e);
        }
    }

    private static string Wire(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
