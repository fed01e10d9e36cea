using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Platform.Console.Services;

/// <summary>Adds the console to a host: services, request cultures (English, Simplified Chinese) and the routes at /.</summary>
public static class ConsoleSetup
{
    public static readonly string[] Cultures = ["en", "zh-Hans"];

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddLocalization();
        services.AddScoped<ConsoleSession>();
        // The console calls the host's own API on the address it listens on (not the browser's URL, which a proxy may rewrite).
        services.AddHttpClient<ConsoleApi>((sp, client) => client.BaseAddress = OwnAddress(sp.GetRequiredService<IServer>()));
        return services;
    }

    /// <summary>Request cultures from the console's cookie (then the browser's languages); must run before the console's routes.</summary>
    public static IApplicationBuilder UseConsoleCultures(this IApplicationBuilder app) =>
        app.UseRequestLocalization(new RequestLocalizationOptions().SetDefaultCulture(Cultures[0]).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures));

    /// <summary>Maps the console's pages and <c>GET /console/culture?culture=&amp;redirectUri=</c>, which switches the language.</summary>
    public static void MapConsole(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapGet("/console/culture", (string culture, string? redirectUri, HttpContext http) =>
        {
            if (!Cultures.Contains(culture)) return Results.BadRequest($"'{culture}' is not a console language: use {string.Join(" or ", Cultures)}");
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            // Only a local path: never an open redirect.
            return Results.LocalRedirect(redirectUri is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/");
        }).ExcludeFromDescription();
    }

    private static Uri OwnAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault() ?? "http://localhost:5080";
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
    }
}
