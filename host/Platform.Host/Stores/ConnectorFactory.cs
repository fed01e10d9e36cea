using Microsoft.EntityFrameworkCore;
using Platform.Abstractions;
using Platform.Host.Http;
using Platform.Host.Infrastructure;
using Platform.Host.Plugins;
using Platform.Host.Storage;

namespace Platform.Host.Stores;

/// <summary>Creates a store's connector with its decrypted settings and the host's resilient HttpClient.</summary>
public sealed class ConnectorFactory(
    PluginCatalog catalog,
    StoreConfig config,
    ConnectorHttp http,
    ILoggerFactory loggers,
    TimeProvider clock,
    IDbContextFactory<PlatformDbContext> db,
    SecretProtector secrets)
{
    /// <summary>The store's plugin; throws naming the store when the plugin is not loaded.</summary>
    public LoadedPlugin PluginOf(StoreRow store) => catalog.Find(store.Plugin)
        ?? throw new StoreConfigurationException($"store '{store.StoreId}' uses plugin '{store.Plugin}', which is not loaded: see GET /api/v1/plugins for the failures, or change the store's plugin");

    public (LoadedPlugin Plugin, IConnector Connector) Create(StoreRow store)
    {
        var plugin = PluginOf(store);
        var (client, handler) = http.ClientFor(store.MerchantId, store.StoreId, plugin.Manifest);
        var context = new ConnectorContext
        {
            MerchantId = store.MerchantId,
            StoreId = store.StoreId,
            Settings = config.Decrypted(store),
            Http = client,
            HttpHandler = handler,
            Logger = loggers.CreateLogger($"Plugin.{plugin.Manifest.Id}"),
            Clock = clock,
            Tokens = new DbTokenStore(db, secrets, store.MerchantId, store.StoreId, clock),
        };
        try
        {
            return (plugin, plugin.Plugin.Create(context));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StoreConfigurationException($"plugin '{plugin.Manifest.Id}' could not create a connector for store '{store.StoreId}': {e.Message}");
        }
    }
}

public sealed class StoreConfigurationException(string message) : Exception(message);

/// <summary>Keeps refreshed credentials encrypted in the <c>tokens</c> table.</summary>
public sealed class DbTokenStore(IDbContextFactory<PlatformDbContext> factory, SecretProtector secrets, string merchantId, string storeId, TimeProvider clock) : ITokenStore
{
    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Tokens.FirstOrDefaultAsync(t => t.MerchantId == merchantId && t.StoreId == storeId && t.Name == name, cancellationToken);
        return row is null ? null : secrets.Unprotect(row.Value);
    }

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Tokens.AsTracking().FirstOrDefaultAsync(t => t.MerchantId == merchantId && t.StoreId == storeId && t.Name == name, cancellationToken);
        if (row is null)
            db.Tokens.Add(new TokenRow { MerchantId = merchantId, StoreId = storeId, Name = name, Value = secrets.Protect(value), UpdatedAt = clock.GetUtcNow() });
        else
        {
            row.Value = secrets.Protect(value);
            row.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
