using System.Text.Json;

namespace Platform.Host.Plugins;

public sealed record PluginView(string Id, string Name, string Version, IReadOnlyList<string> Streams, JsonElement SettingsSchema, string? Notes);

public static class PluginApi
{
    public static RouteGroupBuilder MapPluginApi(this RouteGroupBuilder api)
    {
        api.MapGet("/plugins", (PluginCatalog catalog) => TypedResults.Ok(new
        {
            plugins = catalog.Plugins.OrderBy(p => p.Manifest.Id).Select(p => new PluginView(p.Manifest.Id, p.Manifest.Name, p.Manifest.Version, p.Manifest.Streams, p.Manifest.Settings, p.Manifest.Notes)),
            failures = catalog.Failures.Select(f => new { path = f.Path, error = f.Error }),
        })).WithTags("Plugins");
        return api;
    }
}
