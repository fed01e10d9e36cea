using System.Diagnostics;
using System.Text;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The plugin template as a new plugin author uses it: install it, generate a connector, build it, run its
/// conformance tests, drop the build output into a host's plugins directory and see it listed.
/// </summary>
public sealed class PluginTemplateTests
{
    [Fact]
    public async Task A_connector_generated_from_the_template_passes_the_kit_and_is_listed_by_the_host()
    {
        var root = TestPaths.NewTempDirectory("template");
        var hive = Path.Combine(root, ".hive");
        try
        {
            // What the generated projects reference: the contract, the kit (and the host pipeline source it compiles in), the shared build files.
            foreach (var folder in new[] { "abstractions/Platform.Abstractions", "tests/Platform.Plugins.Testing" })
                CopySources(Path.Combine(TestPaths.RepoRoot, folder), Path.Combine(root, folder));
            Directory.CreateDirectory(Path.Combine(root, "host/Platform.Host/Http"));
            File.Copy(Path.Combine(TestPaths.RepoRoot, "host/Platform.Host/Http/ConnectorResilience.cs"), Path.Combine(root, "host/Platform.Host/Http/ConnectorResilience.cs"));
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
                File.Copy(Path.Combine(TestPaths.RepoRoot, file), Path.Combine(root, file));

            await Dotnet(root, "new", "install", Path.Combine(TestPaths.RepoRoot, "plugins", "template"), "--debug:custom-hive", hive);
            await Dotnet(root, "new", "platform-connector", "-n", "Platform.Plugins.Acme", "--marketplace", "Acme Market", "--debug:custom-hive", hive);
            Assert.True(File.Exists(Path.Combine(root, "plugins/Platform.Plugins.Acme/Platform.Plugins.Acme.csproj")), "the template generated no plugin project");

            var tests = await Dotnet(root, "test", "tests/Platform.Plugins.Acme.Tests", "-nologo");
            Assert.Contains("Passed!", tests, StringComparison.Ordinal);

            var plugins = Path.Combine(root, "host-plugins");
            TestPaths.CopyDirectory(Path.Combine(root, "plugins/Platform.Plugins.Acme/bin/Debug/net10.0"), Path.Combine(plugins, "Acme"));
            await using var host = new HostProcess(Path.Combine(root, "data"), new Dictionary<string, string> { ["Platform:PluginsDirectory"] = plugins });
            Directory.CreateDirectory(host.DataDirectory);
            await host.StartAsync();
            var listed = await host.Client().GetJsonAsync("/api/v1/plugins");
            var acme = Assert.Single(listed.GetProperty("plugins").EnumerateArray(), p => p.GetProperty("id").GetString() == "acme");
            Assert.Equal("Acme Market", acme.GetProperty("name").GetString());
            Assert.Empty(listed.GetProperty("failures").EnumerateArray());
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task<string> Dotnet(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        output.Append(await stdout).Append(await stderr);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        return output.ToString();
    }
}
