using System.Reflection;

namespace Platform.Benchmarks;

/// <summary>Where the host built with this harness is: host/Platform.Host/bin/&lt;same configuration&gt;/net10.0.</summary>
public sealed record RepoLayout(string Root, string Configuration, string HostDll)
{
    public static RepoLayout Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) dir = dir.Parent;
        if (dir is null) throw new BenchmarkException($"no Platform.sln above {AppContext.BaseDirectory}: run the harness from the repository build output");
        var configuration = typeof(RepoLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var hostDll = Path.Combine(dir.FullName, "host", "Platform.Host", "bin", configuration, "net10.0", "Platform.Host.dll");
        if (!File.Exists(hostDll))
            throw new BenchmarkException($"{hostDll} does not exist: build the harness (it builds the host), e.g. dotnet build -c {configuration} tests/Platform.Benchmarks");
        var sandbox = Path.Combine(Path.GetDirectoryName(hostDll)!, "plugins", "Sandbox");
        if (!Directory.Exists(sandbox))
            throw new BenchmarkException($"{sandbox} does not exist: the host's build copies the sandbox plugin there; rebuild the harness");
        return new RepoLayout(dir.FullName, configuration, hostDll);
    }
}

/// <summary>A failure the harness reports as it is and exits non-zero.</summary>
public sealed class BenchmarkException(string message) : Exception(message);
