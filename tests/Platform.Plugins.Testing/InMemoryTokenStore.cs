using System.Collections.Concurrent;
using Platform.Abstractions;

namespace Platform.Plugins.Testing;

/// <summary>The host's token store, in memory: what a connector saved is there for the next connector of the store.</summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<string, string> _values = new();

    /// <summary>Everything saved, by name.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <inheritdoc />
    public Task<string?> GetAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_values.TryGetValue(name, out var value) ? value : null);

    /// <inheritdoc />
    public Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        _values[name] = value;
        return Task.CompletedTask;
    }
}
