using Microsoft.AspNetCore.DataProtection;
using Platform.Host.Admin;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Merchants;
using Platform.Host.Plugins;
using Platform.Host.Scheduling;
using Platform.Host.Service;
using Platform.Host.Storage;
using Platform.Host.Stores;
using Platform.Host.Value;
using Quartz;
using Platform.Console.Services;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
    builder.WebHost.UseUrls("http://localhost:5080");
// The console's static files (MudBlazor's) from the build output too, not only from a published folder.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddConsole();

TelemetryOptions.AddPlatformTelemetry(builder);
try
{
    builder.AddPlatformOptions()
           .AddPlatformStorage()
           .AddPlatformOrleans()
           .AddPlatformServices();
}
catch (ClusterStartupException e)
{
    await Console.Error.WriteLineAsync(e.Message); // no logger yet: the message is the host's last word
    Environment.ExitCode = 2;
    return;
}

var app = builder.Build();

try
{
    await app.Services.PrepareDatabaseAsync();
}
catch (StorageStartupException e)
{
    app.Logger.LogCritical("{Message}", e.Message);
    await Console.Error.WriteLineAsync(e.Message); // the console logger writes in the background: make sure this line is seen
    await app.DisposeAsync();
    Environment.ExitCode = 2;
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiRequestLimits();
app.UseConsoleCultures();
app.UseAntiforgery();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs");
app.MapHealth();
var api = app.MapGroup("/api/v1").RequireApiKey();
api.MapPluginApi()
   .MapMerchantApi()
   .MapAdminApi();
var merchant = api.MapGroup("/merchants/{m}");
merchant.MapStoreApi()
        .MapCustomerApi()
        .MapIdentityApi()
        .MapValueApi()
        .MapPointsApi()
        .MapCareApi()
        .MapServiceApi()
        .MapInsightsApi()
        .MapMerchantOperationsApi();
app.MapConsole();

await app.RunAsync();

/// <summary>The host's entry point (public for WebApplicationFactory in tests).</summary>
public partial class Program;
