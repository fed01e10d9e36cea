using System.Text.Json;
using Platform.Abstractions;

namespace Platform.Plugins.Sandbox.Tests;

public sealed class ManifestTests
{
    private static PluginManifest ReadShippedManifest()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "plugin.json");
        Assert.True(File.Exists(path), $"plugin.json is not next to the assembly ({path})");
        return JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(path))!;
    }

    [Fact]
    public void Plugin_json_parses_into_a_contract_1_manifest_that_matches_the_plugin()
    {
        var shipped = ReadShippedManifest();
        var plugin = new SandboxPlugin();

        Assert.Equal(ContractVersion.Current, shipped.Contract);
        Assert.Equal(1, shipped.Contract);
        Assert.Equal("sandbox", shipped.Id);
        Assert.Equal(shipped.Id, plugin.Manifest.Id);
        Assert.Equal(shipped.Name, plugin.Manifest.Name);
        Assert.Equal(shipped.Version, plugin.Manifest.Version);
        Assert.Equal(["orders", "reviews", "chats"], shipped.Streams);
        Assert.Equal(shipped.Streams, plugin.Manifest.Streams);
        Assert.Equal(typeof(SandboxPlugin).Assembly.GetName().Name + ".dll", shipped.Assembly);
        Assert.Equal(shipped.Settings.GetRawText(), plugin.Manifest.Settings.GetRawText());
        Assert.All(shipped.Streams, s => Assert.True(StreamNames.TryParse(s, out _)));
    }

    [Fact]
    public void Settings_schema_describes_every_setting_marks_the_token_secret_and_requires_nothing()
    {
        var schema = new SandboxPlugin().Manifest.Settings;

        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.False(schema.TryGetProperty("required", out _));
        var properties = schema.GetProperty("properties");
        string[] expected = ["population", "people", "ordersPerDay", "currency", "country", "pageSize", "apiToken", "failAtPage", "pageDelayMs", "closedOn", "churnDays", "contacts"];
        Assert.Equal(expected.Order(), properties.EnumerateObject().Select(p => p.Name).Order());
        foreach (var property in properties.EnumerateObject())
        {
            Assert.False(string.IsNullOrWhiteSpace(property.Value.GetProperty("title").GetString()), property.Name);
            Assert.False(string.IsNullOrWhiteSpace(property.Value.GetProperty("description").GetString()), property.Name);
        }
        Assert.True(properties.GetProperty("apiToken").GetProperty("x-secret").GetBoolean());
        Assert.Equal(300, properties.GetProperty("people").GetProperty("default").GetInt32());
        Assert.Equal(1_000_000, properties.GetProperty("people").GetProperty("maximum").GetInt32());
        Assert.Equal("^[A-Z]{3}$", properties.GetProperty("currency").GetProperty("pattern").GetString());
    }
}
