using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Abstractions;
using Platform.Host.Plugins;

namespace Platform.Host.Tests.Support;

/// <summary>Reads the sandbox marketplace directly (the real plugin, loaded like the host loads it): the source of truth tests compare against.</summary>
public static class SandboxSource
{
    private static readonly Lazy<LoadedPlugin> Plugin = new(() => PluginFolderLoader.Load(TestPaths.TestPlugin("Sandbox")));

    public static async Task<List<T>> ReadAllAsync<T>(string storeId, object settings, StreamName stream, DateTimeOffset since) where T : SourceRecord
    {
        var connector = Plugin.Value.Plugin.Create(new ConnectorContext
        {
            MerchantId = "source",
            StoreId = storeId,
            Settings = new ConnectorSettings(JsonSerializer.SerializeToElement(settings)),
            Http = new HttpClient(),
            Logger = NullLogger.Instance,
            Clock = TimeProvider.System,
            Tokens = new MemoryTokens(),
        });
        var records = new Dictionary<string, T>();
        await foreach (var page in connector.ReadAsync(stream, null, new ReadWindow(since, DateTimeOffset.UtcNow), CancellationToken.None))
            foreach (var r in page.Records.Cast<T>())
                records[r.ExternalId] = r;
        return records.Values.ToList();
    }

    private sealed class MemoryTokens : ITokenStore
    {
        private readonly Dictionary<string, string> _values = [];
        public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_values.GetValueOrDefault(name));
        public Task SetAsync(string name, string value, CancellationToken cancellationToken) { _values[name] = value; return Task.CompletedTask; }
    }
}
