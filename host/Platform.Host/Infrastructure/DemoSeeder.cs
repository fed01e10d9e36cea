using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Host.Merchants;
using Platform.Host.Storage;
using Platform.Host.Stores;

namespace Platform.Host.Infrastructure;

/// <summary>Merchant <c>demo</c> with three sandbox stores sharing one population, syncing every minute.</summary>
public sealed class DemoSeeder(IDbContextFactory<PlatformDbContext> factory, MerchantService merchants, StoreService stores, TimeProvider clock,
    IOptions<PlatformOptions> options, ILogger<DemoSeeder> logger)
{
    public const string MerchantId = "demo";
    private const string EveryMinute = "0 * * * * ?";

    private static readonly (string Id, string Name, string Country, string Currency)[] Stores =
    [
        ("sandbox-sg", "Sandbox Singapore", "SG", "SGD"),
        ("sandbox-my", "Sandbox Malaysia", "MY", "MYR"),
        ("sandbox-us", "Sandbox United States", "US", "USD"),
    ];

    public async Task SeedAsync(CancellationToken ct)
    {
        if (!options.Value.Demo.Enabled) return;
        await using (var db = await factory.CreateDbContextAsync(ct))
            if (await db.Merchants.AnyAsync(m => m.Id == MerchantId, ct)) return;

        try
        {
            await merchants.CreateAsync(new MerchantRequest(MerchantId, "Demo merchant", "USD"), ct);
        }
        catch (DbUpdateException e) when (Sql.IsUniqueViolation(e))
        {
            // Hosts of a cluster starting together on an empty database: the other one is seeding it.
            logger.LogInformation("Merchant 'demo' was just created by another host; not seeding it here");
            return;
        }
        var since = clock.GetUtcNow().AddDays(-90);
        foreach (var (id, name, country, currency) in Stores)
        {
            var settings = JsonSerializer.SerializeToElement(new { population = 1, people = 300, ordersPerDay = 12, country, currency, apiToken = "sandbox-demo-token" });
            var (row, _, errors) = await stores.SaveAsync(MerchantId, id, new StoreRequest("sandbox", name, settings,
                new Dictionary<string, string?> { ["orders"] = EveryMinute, ["reviews"] = EveryMinute, ["chats"] = EveryMinute }, since, true), ct);
            if (row is null)
                logger.LogError("Demo store {Store} was not created: {Errors}", id, string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")));
        }
        logger.LogInformation("Seeded merchant 'demo' with {Count} sandbox stores backfilling 90 days", Stores.Length);
    }
}
