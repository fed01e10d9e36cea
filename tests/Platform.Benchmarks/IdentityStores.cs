using System.Text.Json.Nodes;

namespace Platform.Benchmarks;

/// <summary>
/// The identity mode's stores s1, s2, s3 of merchant <c>bench</c>: closed sandbox stores (like <see cref="BenchStore"/>)
/// with one population, so the same person buys in several stores under a different buyer id in each, and only
/// identity resolution (shared email or phone) makes one customer of them.
/// </summary>
public sealed class IdentityStores
{
    /// <summary>Any seed will do; the same in all three stores is what makes them share people.</summary>
    public const long Population = 7;

    public static IReadOnlyList<string> StoreIds { get; } = ["s1", "s2", "s3"];

    public IdentityStores(IdentityOptions options, DateTimeOffset now)
    {
        Options = options;
        ClosedOn = BenchStore.ClosedOnFor(now);
        Since = BenchStore.SinceFor(ClosedOn, options.Days);
    }

    public IdentityOptions Options { get; }
    public DateOnly ClosedOn { get; }
    public DateTimeOffset Since { get; }

    /// <summary>The same settings for every store: only the store id (hashed by the sandbox) tells their audiences and orders apart.</summary>
    public JsonObject Settings()
    {
        var settings = new JsonObject
        {
            ["population"] = Population,
            ["people"] = Options.People,
            ["ordersPerDay"] = Options.OrdersPerDay,
            ["pageSize"] = IdentityOptions.PageSize,
            ["currency"] = BenchStore.Currency,
            ["closedOn"] = BenchStore.Day(ClosedOn),
        };
        // Shoppers who stop buying: without them the purchase model has no dropout to fit.
        if (Options.ChurnDays > 0) settings["churnDays"] = Options.ChurnDays;
        return settings;
    }

    /// <summary>The body of <c>PUT /api/v1/merchants/bench/stores/{storeId}</c>.</summary>
    public JsonObject StoreRequest(string storeId) => BenchStore.SandboxStoreRequest($"Store {storeId}", Settings(), Since);
}
