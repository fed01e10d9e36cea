using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Platform.Crm.Money;

namespace Platform.Host.Infrastructure;

/// <summary>The <c>Platform</c> configuration section (see api.md for the keys).</summary>
public sealed class PlatformOptions
{
    public const string Section = "Platform";

    /// <summary>SQLite file, Data Protection keys and the generated admin key live here.</summary>
    [Required] public string DataDirectory { get; set; } = "data";

    /// <summary>The admin API key; generated and saved to &lt;data&gt;/admin.key when empty.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Where plugins are loaded from; default <c>plugins</c> next to the host assembly.</summary>
    public string? PluginsDirectory { get; set; }

    public DatabaseOptions Database { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public SyncOptions Sync { get; set; } = new();
    public IdentityOptions Identity { get; set; } = new();
    public ValueOptions Value { get; set; } = new();
    /// <summary>Service cases: opening hours, response targets, complaint words (<c>Platform:Service</c>).</summary>
    public Platform.Host.Service.ServiceOptions Service { get; set; } = new();
    /// <summary>Metrics and traces over OTLP (<c>Platform:Telemetry</c>).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();
    /// <summary>The connector HTTP pipeline (<c>Platform:Http</c>): timeouts, retries, circuit breaker.</summary>
    public Platform.Host.Http.ConnectorHttpOptions Http { get; set; } = new();
    /// <summary>Limits of the REST API (<c>Platform:Api</c>): the largest request body.</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>
    /// Conversion rates into a merchant's currency, read from <c>Platform:ExchangeRates</c> by
    /// <see cref="ExchangeRateConfig"/> (internal: a pair's value is a number or dated numbers, which the binder cannot map).
    /// </summary>
    internal ExchangeRates ExchangeRates { get; set; } = ExchangeRates.None;

    /// <summary>What was wrong in <c>Platform:ExchangeRates</c>, reported by the validator with the key.</summary>
    internal List<string> ExchangeRateErrors { get; } = [];

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);

    /// <summary>
    /// The options as configured, for the few choices made while the host is being built (database file, silo
    /// ports, key folder). Everything else takes <c>IOptions&lt;PlatformOptions&gt;</c>, validated at start.
    /// </summary>
    public static PlatformOptions AtBuild(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<PlatformOptions>() ?? new PlatformOptions();

    public string ResolvePluginsDirectory() => Path.GetFullPath(
        string.IsNullOrWhiteSpace(PluginsDirectory) ? Path.Combine(AppContext.BaseDirectory, "plugins") : PluginsDirectory);
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default, embedded) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = "Sqlite";
}

public sealed class ClusterOptions
{
    public const string Localhost = "Localhost", Redis = "Redis";

    /// <summary><c>Localhost</c> (one host) or <c>Redis</c> (Orleans Redis clustering: several hosts on one PostgreSQL database).</summary>
    public string Provider { get; set; } = Localhost;

    /// <summary>
    /// With <c>Redis</c>: the address other hosts reach this host's silo at (an IP address or a host name). Default: the
    /// machine's first non-loopback IPv4 address (a container's own address), or loopback when it has none; set
    /// <c>127.0.0.1</c> to run several hosts on one machine. Ignored with <c>Localhost</c> (always loopback).
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    public bool IsRedis => Provider == Redis;
    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;
    [Required] public string ClusterId { get; set; } = "platform";

    /// <summary>Checked while the host is built too: Orleans takes the ports and id then, and would fail without naming the key.</summary>
    public IEnumerable<string> Problems()
    {
        if (SiloPort is < 1 or > 65535) yield return $"Platform:Cluster:SiloPort is {SiloPort}: use a port between 1 and 65535.";
        if (GatewayPort is < 1 or > 65535) yield return $"Platform:Cluster:GatewayPort is {GatewayPort}: use a port between 1 and 65535.";
        if (SiloPort == GatewayPort) yield return "Platform:Cluster:SiloPort and Platform:Cluster:GatewayPort must differ.";
        if (Provider is not (Localhost or Redis)) yield return $"Platform:Cluster:Provider is '{Provider}': use 'Localhost' or 'Redis'.";
        if (string.IsNullOrWhiteSpace(ClusterId)) yield return "Platform:Cluster:ClusterId is empty: hosts with the same id and database form one cluster, e.g. platform.";
    }
}

public sealed class IdentityOptions
{
    /// <summary>Resolve buyer accounts into unified customers; off only to measure ingestion without it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Regular expressions of relay or masked emails: they link accounts of their own store only.</summary>
    public List<string> RelayEmailPatterns { get; set; } = [];

    /// <summary>Regular expressions of masked or proxy phones: they link accounts of their own store only.</summary>
    public List<string> RelayPhonePatterns { get; set; } = [];
}

public sealed class ValueOptions
{
    /// <summary>Monthly discount rate of the 12-month CLV (0.01 = 1 % a month).</summary>
    [Range(0.0, 1.0)] public double MonthlyDiscountRate { get; set; } = 0.01;

    /// <summary>Weights of the composite score over the six value dimensions (normalized to sum 1).</summary>
    public ValueWeightOptions Weights { get; set; } = new();

    /// <summary>Customers whose composite score is in this top percentage are key accounts.</summary>
    public double KeyAccountPercent { get; set; } = 5;

    /// <summary>
    /// When every merchant is refitted and rescored in full, with the periodic tier review (Quartz cron, UTC).
    /// Between runs, customers touched by a sync are rescored after each identity batch.
    /// </summary>
    public string ScoringCron { get; set; } = "0 30 2 * * ?";

    /// <summary>
    /// Customers touched by syncs are rescored once the merchant's syncs have been quiet this long (at the latest
    /// five minutes after the first change), so a long backfill is not rescored after every identity batch.
    /// </summary>
    public int RescoreQuietSeconds { get; set; } = 30;

    /// <summary>Merchants with more customers are fitted on a fixed random sample of this many (0: always all).</summary>
    public int FitSampleSize { get; set; } = 50_000;

    /// <summary>Member tiers by trailing-12-month spend in the merchant's currency.</summary>
    public TierOptions Tiers { get; set; } = new();

    /// <summary>Loyalty points: earned per currency unit × the tier's multiplier, a bonus per review, FIFO expiry.</summary>
    public PointsOptions Points { get; set; } = new();

    /// <summary>The care list's thresholds and festival calendar.</summary>
    public CareOptions Care { get; set; } = new();

    public Platform.Crm.Value.ValueWeights ToWeights() =>
        new(Weights.Current, Weights.Future, Weights.Credit, Weights.Loyalty, Weights.Growth, Weights.EValue);
}

public sealed class ValueWeightOptions
{
    public double Current { get; set; } = 0.30;
    public double Future { get; set; } = 0.25;
    public double Credit { get; set; } = 0.10;
    public double Loyalty { get; set; } = 0.15;
    public double Growth { get; set; } = 0.10;
    public double EValue { get; set; } = 0.10;
}

public sealed class CareOptions
{
    /// <summary>Win-back: customers with a composite score of at least this whose P(alive) is under <see cref="WinBackPAlive"/>.</summary>
    public double WinBackMinScore { get; set; } = 60;
    public double WinBackPAlive { get; set; } = 0.3;
    /// <summary>Follow up this many days after an order was delivered.</summary>
    public int FollowUpAfterDays { get; set; } = 3;
    /// <summary>Moments more than this many days overdue are no longer listed.</summary>
    public int StaleDays { get; set; } = 14;
    /// <summary>A SKU needs this many repeat purchases (over all customers) before replenishment is predicted for it.</summary>
    public int ReplenishmentMinRepeats { get; set; } = 5;
    /// <summary>The campaign calendar: <c>{ "Name": "Hari Raya", "Date": "2027-03-10", "LeadDays": 14, "Tiers": ["Gold"] }</c> (no tiers: every tier above the lowest).</summary>
    public List<FestivalOptions> Festivals { get; set; } = [];

    /// <summary>What is wrong with the thresholds and the festivals' tiers (<paramref name="tiers"/>: the configured tier names), naming the key.</summary>
    public IEnumerable<string> Problems(IReadOnlyCollection<string> tiers)
    {
        const string Key = "Platform:Value:Care";
        if (!double.IsFinite(WinBackMinScore) || WinBackMinScore is < 0 or > 100)
            yield return $"{Key}:WinBackMinScore is {WinBackMinScore}: use a composite score from 0 to 100, e.g. 60.";
        if (FollowUpAfterDays is < 0 or > 365)
            yield return $"{Key}:FollowUpAfterDays is {FollowUpAfterDays}: use 0 to 365 days, e.g. 3.";
        if (StaleDays is < 0 or > 365)
            yield return $"{Key}:StaleDays is {StaleDays}: use 0 to 365 days, e.g. 14.";
        if (ReplenishmentMinRepeats is < 1 or > 1000)
            yield return $"{Key}:ReplenishmentMinRepeats is {ReplenishmentMinRepeats}: use 1 to 1000 repeat purchases, e.g. 5.";
        for (var i = 0; i < Festivals.Count; i++)
            for (var t = 0; t < Festivals[i].Tiers.Count; t++)
                if (!tiers.Contains(Festivals[i].Tiers[t]))
                    yield return $"{Key}:Festivals:{i}:Tiers:{t} is '{Festivals[i].Tiers[t]}', which is not a tier: use one of {string.Join(", ", tiers)} (Platform:Value:Tiers:Levels).";
    }
}

public sealed class FestivalOptions
{
    public string Name { get; set; } = "";
    public string Date { get; set; } = "";
    public int LeadDays { get; set; } = 14;
    public List<string> Tiers { get; set; } = [];
}

public sealed class PointsOptions
{
    public decimal PerCurrencyUnit { get; set; } = 1m;
    public long ReviewBonus { get; set; } = 20;
    public int ExpiryMonths { get; set; } = 12;

    public Platform.Crm.Loyalty.PointsRules ToRules() => new(PerCurrencyUnit, ReviewBonus, ExpiryMonths);
}

public sealed class TierOptions
{
    /// <summary>Days a member's spend must stay below their tier before a review downgrades them.</summary>
    public int GraceDays { get; set; } = 90;

    /// <summary>Tiers from lowest (MinSpend 0) to highest; none configured: Mass 0, Gold 500, Platinum 2,000, Diamond 5,000.</summary>
    public List<TierLevelOptions> Levels { get; set; } = [];

    public Platform.Crm.Loyalty.TierPolicy ToPolicy() => Levels.Count == 0
        ? Platform.Crm.Loyalty.TierPolicy.Default with { GraceDays = GraceDays }
        : new(Levels.Select(l => new Platform.Crm.Loyalty.TierLevel(l.Name, l.MinSpend, l.PointsMultiplier)).ToList(), GraceDays);
}

public sealed class TierLevelOptions
{
    public string Name { get; set; } = "";
    public decimal MinSpend { get; set; }
    public double PointsMultiplier { get; set; } = 1;
}

public sealed class DemoOptions
{
    /// <summary>Seed merchant <c>demo</c> with sandbox stores that share one population.</summary>
    public bool Enabled { get; set; } = true;
}

public sealed class SyncOptions
{
    /// <summary>A run reads up to its start time minus this lag, so late writes upstream are not skipped.</summary>
    [Range(0, 3600)] public int SafetyLagSeconds { get; set; } = 5;

    /// <summary>
    /// Buyer changes resolved per identity batch; a run asks for a batch each time this many have been synced
    /// (and at its end), so a long backfill updates profiles as it goes without recomputing them page by page.
    /// </summary>
    [Range(1, 1_000_000)] public int DispatchBatchSize { get; set; } = 100_000;

    /// <summary>
    /// Pages already fetched are committed together up to this many records (always at least one page), with the
    /// last page's checkpoint: fewer, larger commits when the database is slower than the marketplace.
    /// </summary>
    [Range(1, 100_000)] public int MaxRecordsPerCommit { get; set; } = 5_000;

    /// <summary>Pages a run fetches ahead of the one being committed.</summary>
    [Range(1, 64)] public int ReadAheadPages { get; set; } = 4;
}

/// <summary>Checks what data annotations cannot, naming the configuration key.</summary>
public sealed class PlatformOptionsValidator : IValidateOptions<PlatformOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformOptions o)
    {
        var errors = new List<string>();
        if (o.Database.Provider is not ("Sqlite" or "Postgres"))
            errors.Add($"Platform:Database:Provider is '{o.Database.Provider}': use 'Sqlite' or 'Postgres'.");
        errors.AddRange(o.Cluster.Problems());
        var http = o.Http;
        if (http.MaxRetries is < 0 or > 20) errors.Add($"Platform:Http:MaxRetries is {http.MaxRetries}: use 0 to 20.");
        if (http.AttemptTimeout <= TimeSpan.Zero) errors.Add("Platform:Http:AttemptTimeout must be positive (e.g. 00:00:30).");
        if (http.TotalTimeout < http.AttemptTimeout) errors.Add("Platform:Http:TotalTimeout must be at least Platform:Http:AttemptTimeout.");
        if (http.MaxRetryAfter < TimeSpan.Zero) errors.Add("Platform:Http:MaxRetryAfter must not be negative (e.g. 00:02:00).");
        if (http.RetryBaseDelay <= TimeSpan.Zero) errors.Add("Platform:Http:RetryBaseDelay must be positive (e.g. 00:00:01).");
        if (http.BreakerFailureRatio is <= 0 or > 1) errors.Add($"Platform:Http:BreakerFailureRatio is {http.BreakerFailureRatio}: use a share above 0 and at most 1.");
        if (http.BreakerMinimumThroughput < 2) errors.Add($"Platform:Http:BreakerMinimumThroughput is {http.BreakerMinimumThroughput}: use 2 or more.");
        if (http.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500)) errors.Add("Platform:Http:BreakerSamplingDuration must be at least 00:00:00.5.");
        if (http.BreakDuration < TimeSpan.FromMilliseconds(500)) errors.Add("Platform:Http:BreakDuration must be at least 00:00:00.5.");
        if (string.IsNullOrWhiteSpace(o.DataDirectory)) errors.Add("Platform:DataDirectory is empty: give a folder the host can write to.");
        if (o.AdminKey is { Length: > 0 and < 12 }) errors.Add("Platform:AdminKey is shorter than 12 characters: use a longer, random key.");
        if (o.Sync.SafetyLagSeconds is < 0 or > 3600) errors.Add($"Platform:Sync:SafetyLagSeconds is {o.Sync.SafetyLagSeconds}: use 0 to 3600.");
        if (o.Sync.DispatchBatchSize is < 1 or > 1_000_000) errors.Add($"Platform:Sync:DispatchBatchSize is {o.Sync.DispatchBatchSize}: use 1 to 1000000.");
        if (o.Sync.MaxRecordsPerCommit is < 1 or > 100_000) errors.Add($"Platform:Sync:MaxRecordsPerCommit is {o.Sync.MaxRecordsPerCommit}: use 1 to 100000.");
        if (o.Sync.ReadAheadPages is < 1 or > 64) errors.Add($"Platform:Sync:ReadAheadPages is {o.Sync.ReadAheadPages}: use 1 to 64.");
        errors.AddRange(o.ExchangeRateErrors);
        if (!double.IsFinite(o.Value.MonthlyDiscountRate) || o.Value.MonthlyDiscountRate is < 0 or > 1)
            errors.Add($"Platform:Value:MonthlyDiscountRate is {o.Value.MonthlyDiscountRate}: use a rate from 0 to 1, e.g. 0.01 for 1 % a month.");
        errors.AddRange(o.Value.ToWeights().Problems().Select(p => $"Platform:Value:Weights:{p}."));
        if (o.Value.FitSampleSize < 0) errors.Add($"Platform:Value:FitSampleSize is {o.Value.FitSampleSize}: use 0 (all customers) or a sample size such as 50000.");
        if (o.Value.RescoreQuietSeconds is < 0 or > 3600)
            errors.Add($"Platform:Value:RescoreQuietSeconds is {o.Value.RescoreQuietSeconds}: use 0 to 3600 seconds.");
        if (!double.IsFinite(o.Value.KeyAccountPercent) || o.Value.KeyAccountPercent is < 0 or > 100)
            errors.Add($"Platform:Value:KeyAccountPercent is {o.Value.KeyAccountPercent}: use a percentage from 0 to 100, e.g. 5.");
        if (!Quartz.CronExpression.TryParse(o.Value.ScoringCron, out _))
            errors.Add($"Platform:Value:ScoringCron '{o.Value.ScoringCron}' is not a Quartz cron expression: e.g. '0 30 2 * * ?' for 02:30 UTC daily.");
        // The policy names levels Levels[0].MinSpend; configuration says Levels:0:MinSpend.
        errors.AddRange(o.Value.Tiers.ToPolicy().Problems().Select(p =>
            $"Platform:Value:Tiers:{System.Text.RegularExpressions.Regex.Replace(p, @"Levels\[(\d+)\]\.", "Levels:$1:")}."));
        errors.AddRange(o.Value.Points.ToRules().Problems().Select(p => $"Platform:Value:Points:{p}."));
        for (var i = 0; i < o.Value.Care.Festivals.Count; i++)
        {
            var f = o.Value.Care.Festivals[i];
            if (string.IsNullOrWhiteSpace(f.Name)) errors.Add($"Platform:Value:Care:Festivals:{i}:Name is empty: name the festival.");
            if (!DateOnly.TryParseExact(f.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
                errors.Add($"Platform:Value:Care:Festivals:{i}:Date '{f.Date}' is not a date: use yyyy-MM-dd, e.g. 2027-02-06.");
            if (f.LeadDays is < 0 or > 365) errors.Add($"Platform:Value:Care:Festivals:{i}:LeadDays is {f.LeadDays}: use 0 to 365 days.");
        }
        if (o.Value.Care.WinBackPAlive is < 0 or > 1 || double.IsNaN(o.Value.Care.WinBackPAlive))
            errors.Add($"Platform:Value:Care:WinBackPAlive is {o.Value.Care.WinBackPAlive}: use a probability from 0 to 1, e.g. 0.3.");
        errors.AddRange(o.Value.Care.Problems(o.Value.Tiers.ToPolicy().Levels.Select(l => l.Name).ToList()));
        errors.AddRange(o.Service.Problems());
        errors.AddRange(o.Telemetry.Problems());
        errors.AddRange(o.Api.Problems());
        foreach (var (key, emails, phones) in new[] { ("RelayEmailPatterns", o.Identity.RelayEmailPatterns, new List<string>()), ("RelayPhonePatterns", new List<string>(), o.Identity.RelayPhonePatterns) })
        {
            try
            {
                _ = new Platform.Crm.Identity.ChannelScope(emails, phones);
            }
            catch (ArgumentException e)
            {
                errors.Add($"Platform:Identity:{key}: {e.Message}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// Reads <c>Platform:ExchangeRates</c>: each key is a pair <c>FROM-TO</c> (ISO 4217 codes) whose value is either one
/// rate (<c>"SGD-USD": 0.77</c>) or rates by the date they take effect (<c>"SGD-USD": { "2026-01-01": 0.76,
/// "2026-07-01": 0.78 }</c>; environment: <c>Platform__ExchangeRates__SGD-USD__2026-01-01=0.76</c>). When a pair has
/// dated rates, a single number configured for it elsewhere (e.g. appsettings.json) is ignored.
/// </summary>
public static class ExchangeRateConfig
{
    private const string Path = "Platform:ExchangeRates";

    internal static void Load(PlatformOptions options, IConfiguration configuration)
    {
        var rates = new List<DatedRate>();
        options.ExchangeRateErrors.Clear();
        foreach (var pair in configuration.GetSection(Path).GetChildren())
        {
            var codes = pair.Key.Split('-');
            if (codes.Length != 2 || codes.Any(c => c.Length != 3 || !c.All(char.IsAsciiLetterUpper)))
            {
                options.ExchangeRateErrors.Add($"{Path}:{pair.Key}: name the pair FROM-TO with ISO 4217 codes, e.g. MYR-SGD.");
                continue;
            }
            // Dated rates win over a single one: an operator adding dated rates through the environment overrides
            // the number in appsettings.json rather than mixing with it.
            var dates = pair.GetChildren().ToList();
            if (dates.Count == 0)
            {
                if (ParseRate($"{Path}:{pair.Key}", pair.Value, options.ExchangeRateErrors) is { } rate)
                    rates.Add(new DatedRate(codes[0], codes[1], null, rate));
                continue;
            }
            foreach (var dated in dates)
            {
                var key = $"{Path}:{pair.Key}:{dated.Key}";
                if (!DateOnly.TryParseExact(dated.Key, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var from))
                    options.ExchangeRateErrors.Add($"{key}: name the date the rate takes effect as yyyy-MM-dd, e.g. 2026-01-01.");
                else if (ParseRate(key, dated.Value, options.ExchangeRateErrors) is { } rate)
                    rates.Add(new DatedRate(codes[0], codes[1], from, rate));
            }
        }
        if (options.ExchangeRateErrors.Count == 0) options.ExchangeRates = new ExchangeRates(rates);
    }

    private static decimal? ParseRate(string key, string? value, List<string> errors)
    {
        if (decimal.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) && rate > 0) return rate;
        errors.Add($"{key} is '{value}': a rate is a number greater than 0, e.g. 0.77.");
        return null;
    }
}
