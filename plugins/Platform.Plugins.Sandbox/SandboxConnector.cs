using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Chats;
using Platform.Plugins.Sandbox.Orders;
using Platform.Plugins.Sandbox.Reading;
using Platform.Plugins.Sandbox.Reviews;

namespace Platform.Plugins.Sandbox;

/// <summary>One sandbox store. Its data is a pure function of the settings, the store id and the clock.</summary>
internal sealed class SandboxConnector : IConnector
{
    private readonly ConnectorContext _context;
    private readonly SandboxSettings _settings;
    private readonly OrderPlanner _planner;

    public SandboxConnector(ConnectorContext context, SandboxSettings settings)
    {
        _context = context;
        _settings = settings;
        _planner = new OrderPlanner(new SandboxStore(context.StoreId, settings));
    }

    public Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_settings.TokenRejected)
            return Task.FromResult(CheckResult.Failure(
                "The sandbox marketplace rejected the apiToken: \"invalid\" is not accepted. Fix the apiToken setting or leave it empty."));
        var rate = _settings.OrdersPerDay.ToString("0.##", CultureInfo.InvariantCulture);
        return Task.FromResult(CheckResult.Success(
            $"Sandbox store ready: {_settings.People} people, ~{rate} orders/day, currency {_settings.Currency}"));
    }

    public async IAsyncEnumerable<RecordPage> ReadAsync(
        StreamName stream, StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        cancellationToken.ThrowIfCancellationRequested();
        if (_settings.TokenRejected)
            throw new HttpRequestException(
                "The sandbox marketplace answered 401 Unauthorized: the apiToken setting is invalid. Fix the store's apiToken.",
                inner: null,
                HttpStatusCode.Unauthorized);

        StreamSource source = stream switch
        {
            StreamName.Orders => new OrderStream(_planner),
            StreamName.Reviews => new ReviewStream(_planner),
            StreamName.Chats => new ChatStream(_planner),
            _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, "The sandbox has no such stream."),
        };

        var records = 0;
        var pages = 0;
        var pager = new Pager(_planner, source, _context.Clock);
        await foreach (var page in pager.ReadAsync(stream, cursor, window, cancellationToken))
        {
            records += page.Records.Count;
            pages++;
            yield return page;
        }
        _context.Logger.LogDebug("Sandbox store {StoreId} read {Records} {Stream} records in {Pages} pages",
            _context.StoreId, records, stream.ToWire(), pages);
    }
}
