using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Benchmarks;

/// <summary>
/// The sandbox store both measurements ingest: closed 30 days ago (so its history no longer changes and runs are
/// repeatable), with <see cref="BenchOptions.Days"/> days of orders between <see cref="Since"/> and <see cref="ClosedOn"/>.
/// </summary>
public sealed class BenchStore
{
    public const string MerchantId = "bench";
    public const string StoreId = "big";
    public const string Currency = "USD";

    public BenchStore(BenchOptions options, DateTimeOffset now)
    {
        Options = options;
        ClosedOn = ClosedOnFor(now);
        Since = SinceFor(ClosedOn, options.Days);
    }

    public BenchOptions Options { get; }
    public DateOnly ClosedOn { get; }
    public DateTimeOffset Since { get; }

    /// <summary>30 days before today (UTC): the sandbox's history of a store closed that long ago no longer changes.</summary>
    public static DateOnly ClosedOnFor(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(-30);

    /// <summary>Midnight UTC <paramref name="days"/> days before <paramref name="closedOn"/>: where the store's first sync starts.</summary>
    public static DateTimeOffset SinceFor(DateOnly closedOn, int days) =>
        new(closedOn.AddDays(-days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The sandbox settings, as stored by the host and given to the in-process connector.</summary>
    public JsonObject Settings() => new()
    {
        ["people"] = Options.People,
        ["ordersPerDay"] = Options.OrdersPerDay,
        ["pageSize"] = Options.PageSize,
        ["currency"] = Currency,
        ["closedOn"] = Day(ClosedOn),
    };

    public string SettingsJson => Settings().ToJsonString();

    /// <summary>The body of <c>PUT /api/v1/merchants/bench/stores/big</c>.</summary>
    public JsonObject StoreRequest() => SandboxStoreRequest("Big", Settings(), Since);

    /// <summary>
    /// The body of a PUT of an enabled sandbox store. No schedules: the host then fires no trigger for the store
    /// (neither a cron nor the first-start backfill), so the benchmark's POST sync is the only run and nothing
    /// competes with it.
    /// </summary>
    public static JsonObject SandboxStoreRequest(string displayName, JsonObject settings, DateTimeOffset since) => new()
    {
        ["plugin"] = "sandbox",
        ["displayName"] = displayName,
        ["settings"] = settings,
        ["schedules"] = new JsonObject(),
        ["since"] = since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["enabled"] = true,
    };

    public static JsonSerializerOptions Json { get; } = JsonSerializerOptions.Web;
}
