using System.Collections.Concurrent;
using Platform.Abstractions;

namespace Platform.Plugins.Sandbox.Tests.Infrastructure;

internal sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<string, string> _values = new();

    public Task<string?> GetAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_values.TryGetValue(name, out var value) ? value : null);

    public Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        _values[name] = value;
        return Task.CompletedTask;
    }
}
