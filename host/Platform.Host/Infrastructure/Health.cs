using Platform.Host.Plugins;

namespace Platform.Host.Infrastructure;

/// <summary>Set once the database is migrated, the silo is up and plugins are loaded.</summary>
public sealed class Readiness
{
    private volatile bool _ready;
    public bool IsReady => _ready;
    public void MarkReady() => _ready = true;
}

public static class HealthApi
{
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithTags("Health");
        app.MapGet("/health/ready", (Readiness readiness, PluginCatalog catalog) =>
        {
            var body = new
            {
                status = readiness.IsReady ? "ready" : "starting",
                plugins = catalog.Plugins.Select(p => p.Manifest.Id).Order(),
                failures = catalog.Failures.Select(f => new { path = f.Path, error = f.Error }),
            };
            return readiness.IsReady ? Results.Ok(body) : Results.Json(body, statusCode: 503);
        }).WithTags("Health");
        return app;
    }
}
