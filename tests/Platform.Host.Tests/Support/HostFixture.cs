using Xunit;

namespace Platform.Host.Tests.Support;

/// <summary>One host process shared by the tests of a class (demo off, admin key known).</summary>
public class HostFixture : IAsyncLifetime
{
    public HostProcess Host { get; private set; } = null!;
    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        Host = new HostProcess(TestPaths.NewTempDirectory(GetType().Name), Settings);
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        try { Directory.Delete(Host.DataDirectory, recursive: true); } catch (IOException) { }
    }
}
