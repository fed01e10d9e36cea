using System.Runtime.CompilerServices;
using Platform.Abstractions;
using Platform.Plugins.MercadoLibre.Api;
using Platform.Plugins.MercadoLibre.Auth;
using Platform.Plugins.MercadoLibre.Reading;
using Refit;

namespace Platform.Plugins.MercadoLibre;

/// <summary>One seller account. Calls go: Refit → bearer (refresh on 401) → the host's client (resilience).</summary>
internal sealed class MercadoLibreConnector : IConnector
{
    private readonly MercadoLibreSettings _settings;
    private readonly IMercadoLibreApi _api;
    private readonly TokenManager _tokens;

    public MercadoLibreConnector(ConnectorContext context, MercadoLibreSettings settings)
    {
        _settings = settings;
        var oauthClient = context.CreateHttpClient(settings.BaseUrl);
        var oauth = RestService.For<IMercadoLibreOAuth>(oauthClient);
        _tokens = new TokenManager(oauth, settings, context.Tokens, context.Clock, context.Logger);
        var apiClient = context.CreateHttpClient(settings.BaseUrl, new BearerHandler(_tokens));
        _api = RestService.For<IMercadoLibreApi>(apiClient);
    }

    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (me, _) = await Pages.ReadAsync<UserDto>(await Pages.SendAsync(() => _api.GetMe(cancellationToken)).ConfigureAwait(false), u => u.Id is not null, cancellationToken).ConfigureAwait(false);
            if (me.Id != _settings.SellerId)
                return CheckResult.Failure($"The refresh token belongs to Mercado Libre user {me.Id} ({me.Nickname}), not to seller {_settings.SellerId}: check the setting 'sellerId'.");
            return CheckResult.Success($"Connected to Mercado Libre as {me.Nickname} (user {me.Id}{(me.SiteId is null ? "" : ", site " + me.SiteId)}).");
        }
        catch (ConnectorAuthException e)
        {
            return CheckResult.Failure(e.Message);
        }
        catch (MalformedPageException e)
        {
            return CheckResult.Failure(e.Message);
        }
        catch (HttpRequestException e)
        {
            return CheckResult.Failure($"Mercado Libre could not be reached at {_settings.BaseUrl}: {e.Message}");
        }
    }

    public async IAsyncEnumerable<RecordPage> ReadAsync(StreamName stream, StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var pages = stream switch
        {
            StreamName.Orders => new OrdersReader(_api, _settings.SellerId).ReadAsync(cursor, window, cancellationToken),
            StreamName.Reviews => new ReviewsReader(_api, _settings.SellerId).ReadAsync(cursor, window, cancellationToken),
            StreamName.Chats => new ChatsReader(_api, _settings.SellerId).ReadAsync(cursor, window, cancellationToken),
            _ => throw new NotSupportedException($"Mercado Libre has no stream {stream}."),
        };
        await foreach (var page in pages.ConfigureAwait(false))
            yield return page;
    }
}
