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
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        ClosedOn = today.AddDays(-30);
        Since = new DateTimeOffset(ClosedOn.AddDays(-options.Days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    public BenchOptions Options { get; }
    public DateOnly ClosedOn { get; }
    public DateTimeOffset Since { get; }

    /// <summary>The sandbox settings, as stored by the host and given to the in-process connector.</summary>
    public JsonObject Settings() => new()
    {
        ["people"] = Options.People,
        ["ordersPerDay"] = Options.OrdersPerDay,
        ["pageSize"] = Options.PageSize,
        ["currency"] = Currency,
        ["closedOn"] = ClosedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public string SettingsJson => Settings().ToJsonString();

    /// <summary>The body of <c>PUT /api/v1/merchants/bench/stores/big</c>.</summary>
    public JsonObject StoreRequest() => new()
    {
        ["plugin"] = "sandbox",
        ["displayName"] = "Big",
        ["settings"] = Settings(),
        ["schedules"] = new JsonObject(),
        ["since"] = Since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["enabled"] = true,
    };

    public static JsonSerializerOptions Json { get; } = JsonSerializerOptions.Web;
}
