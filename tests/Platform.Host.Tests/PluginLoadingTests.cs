using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Abstractions;
using Platform.Host.Infrastructure;
using Platform.Host.Plugins;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>Real plugin folders, good and broken, loaded the way the host loads them.</summary>
public sealed class PluginLoadingTests : IDisposable
{
    private readonly string _plugins = TestPaths.NewTempDirectory("plugins");

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    private string SandboxCopy(string name)
    {
        var folder = Path.Combine(_plugins, name);
        TestPaths.CopyDirectory(TestPaths.TestPlugin("Sandbox"), folder);
        return folder;
    }

    private static void EditManifest(string folder, Action<JsonObject> edit)
    {
        var path = Path.Combine(folder, "plugin.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    private static string FailureOf(string folder) => Assert.Throws<PluginLoadException>(() => PluginFolderLoader.Load(folder)).Message;

    [Fact]
    public void Sandbox_plugin_loads_with_its_manifest_and_schema()
    {
        var loaded = PluginFolderLoader.Load(SandboxCopy("Sandbox"));
        Assert.Equal("sandbox", loaded.Manifest.Id);
        Assert.Equal(ContractVersion.Current, loaded.Manifest.Contract);
        Assert.Equal(["orders", "reviews", "chats"], loaded.Manifest.Streams);
        Assert.Contains("apiToken", loaded.SecretSettings);
        Assert.True(loaded.Supports(StreamName.Chats));
    }

    [Fact]
    public void Missing_manifest_is_refused_with_the_reason()
    {
        var folder = SandboxCopy("NoManifest");
        File.Delete(Path.Combine(folder, "plugin.json"));
        Assert.Contains("no plugin.json", FailureOf(folder));
    }

    [Fact]
    public void Invalid_manifest_json_is_refused_with_the_reason()
    {
        var folder = SandboxCopy("BadJson");
        File.WriteAllText(Path.Combine(folder, "plugin.json"), "{ \"id\": \"sandbox\", ");
        Assert.Contains("plugin.json is not a valid manifest", FailureOf(folder));
    }

    [Fact]
    public void Manifest_missing_required_fields_is_refused()
    {
        var folder = SandboxCopy("NoId");
        EditManifest(folder, m => m.Remove("id"));
        Assert.Contains("plugin.json is not a valid manifest", FailureOf(folder));
    }

    [Fact]
    public void Wrong_contract_version_is_refused_naming_both_versions()
    {
        var folder = SandboxCopy("Contract2");
        EditManifest(folder, m => m["contract"] = 2);
        var error = FailureOf(folder);
        Assert.Contains("built for contract 2", error);
        Assert.Contains($"speaks contract {ContractVersion.Current}", error);
    }

    [Fact]
    public void Missing_assembly_is_refused_naming_the_file()
    {
        var folder = SandboxCopy("NoAssembly");
        File.Delete(Path.Combine(folder, "Platform.Plugins.Sandbox.dll"));
        Assert.Contains("'Platform.Plugins.Sandbox.dll', which is not in the folder", FailureOf(folder));
    }

    [Fact]
    public void Unknown_stream_in_manifest_is_refused()
    {
        var folder = SandboxCopy("BadStream");
        EditManifest(folder, m => m["streams"] = new JsonArray("orders", "invoices"));
        Assert.Contains("unknown stream 'invoices'", FailureOf(folder));
    }

    [Fact]
    public void Manifest_id_that_disagrees_with_the_assembly_is_refused()
    {
        var folder = SandboxCopy("OtherId");
        EditManifest(folder, m => m["id"] = "other");
        Assert.Contains("make them agree", FailureOf(folder));
    }

    [Fact]
    public void Throwing_constructor_is_refused_with_the_exception_message()
    {
        var folder = Path.Combine(_plugins, "Throwing");
        TestPaths.CopyDirectory(TestPaths.TestPlugin("Throwing"), folder);
        var error = FailureOf(folder);
        Assert.Contains("constructor", error);
        Assert.Contains("the plugin's configuration file is missing", error);
    }

    [Fact]
    public void Catalog_keeps_the_good_plugins_and_lists_every_failure_by_path()
    {
        SandboxCopy("Sandbox");
        var broken = SandboxCopy("Broken");
        EditManifest(broken, m => m["contract"] = 99);
        TestPaths.CopyDirectory(TestPaths.TestPlugin("Throwing"), Path.Combine(_plugins, "Throwing"));
        var catalog = new PluginCatalog(Options.Create(new PlatformOptions { PluginsDirectory = _plugins }), NullLogger<PluginCatalog>.Instance);
        Assert.Equal(["sandbox"], catalog.Plugins.Select(p => p.Manifest.Id));
        Assert.Equal(2, catalog.Failures.Count);
        Assert.Contains(catalog.Failures, f => f.Path == broken && f.Error.Contains("contract 99"));
        Assert.Contains(catalog.Failures, f => f.Path.EndsWith("Throwing") && f.Error.Contains("constructor"));
    }

    [Fact]
    public async Task Host_reports_load_failures_in_the_api_and_health_and_keeps_running()
    {
        SandboxCopy("Sandbox");
        var missing = SandboxCopy("Missing");
        File.Delete(Path.Combine(missing, "plugin.json"));
        TestPaths.CopyDirectory(TestPaths.TestPlugin("Throwing"), Path.Combine(_plugins, "Throwing"));
        var data = TestPaths.NewTempDirectory("host");
        await using var host = new HostProcess(data, new Dictionary<string, string> { ["Platform:PluginsDirectory"] = _plugins });
        await host.StartAsync();
        using var client = host.Client();

        var plugins = await client.GetJsonAsync("/api/v1/plugins");
        Assert.Equal(["sandbox"], plugins.GetProperty("plugins").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.True(plugins.GetProperty("plugins")[0].GetProperty("settingsSchema").TryGetProperty("properties", out _));
        var failures = plugins.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.GetProperty("path").GetString() == missing && f.GetProperty("error").GetString()!.Contains("no plugin.json"));

        var ready = await host.Client(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(2, (await ready.ReadJsonAsync()).GetProperty("failures").GetArrayLength());
        Assert.Contains("was not loaded", host.Log);
    }
}
