using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Platform.Host.Storage;

/// <summary>
/// The platform's model. On SQLite (the default) this class is the context and owns <c>Storage/Migrations</c>;
/// on PostgreSQL the same model runs as <see cref="PostgresDbContext"/>, which owns <c>Storage/PostgresMigrations</c>.
/// </summary>
public class PlatformDbContext : DbContext, Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    public PlatformDbContext(DbContextOptions<PlatformDbContext> options) : base(options) { }

    /// <summary>For a provider's subclass with its own migrations.</summary>
    protected PlatformDbContext(DbContextOptions options) : base(options) { }

    public DbSet<MerchantRow> Merchants => Set<MerchantRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<StoreRow> Stores => Set<StoreRow>();
    public DbSet<CursorRow> Cursors => Set<CursorRow>();
    public DbSet<RunRow> Runs => Set<RunRow>();
    public DbSet<RawRecordRow> RawRecords => Set<RawRecordRow>();
    public DbSet<OrderRow> Orders => Set<OrderRow>();
    public DbSet<OrderLineRow> OrderLines => Set<OrderLineRow>();
    public DbSet<ReviewRow> Reviews => Set<ReviewRow>();
    public DbSet<MessageRow> Messages => Set<MessageRow>();
    public DbSet<BuyerRow> Buyers => Set<BuyerRow>();
    public DbSet<CustomerRow> Customers => Set<CustomerRow>();
    public DbSet<CustomerKeyRow> CustomerKeys => Set<CustomerKeyRow>();
    public DbSet<CustomerEventRow> CustomerEvents => Set<CustomerEventRow>();
    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();
    public DbSet<TokenRow> Tokens => Set<TokenRow>();
    public DbSet<TombstoneRow> Tombstones => Set<TombstoneRow>();
    public DbSet<ValueModelRow> ValueModels => Set<ValueModelRow>();
    public DbSet<CustomerScoreRow> CustomerScores => Set<CustomerScoreRow>();
    public DbSet<ValueDistributionRow> ValueDistributions => Set<ValueDistributionRow>();
    public DbSet<PointsEntryRow> PointsLedger => Set<PointsEntryRow>();
    public DbSet<CaseRow> Cases => Set<CaseRow>();
    public DbSet<CaseEventRow> CaseEvents => Set<CaseEventRow>();
    public DbSet<ConversationRow> Conversations => Set<ConversationRow>();
    public DbSet<JobClaimRow> JobClaims => Set<JobClaimRow>();
    /// <summary>The Data Protection key ring of a cluster (<c>Platform:Cluster:Provider=Redis</c>); one host keeps it in its data directory.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<MoneyConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<MerchantRow>(e => { e.ToTable("merchants"); e.HasKey(x => x.Id); });
        b.Entity<ApiKeyRow>(e => { e.ToTable("api_keys"); e.HasKey(x => x.Hash); e.HasIndex(x => x.MerchantId); e.HasIndex(x => x.Id).IsUnique(); });
        b.Entity<StoreRow>(e => { e.ToTable("stores"); e.HasKey(x => new { x.MerchantId, x.StoreId }); });
        b.Entity<CursorRow>(e => { e.ToTable("cursors"); e.HasKey(x => new { x.MerchantId, x.StoreId, x.Stream }); });
        b.Entity<RunRow>(e =>
        {
            e.ToTable("runs");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.Stream, x.StartedAt });
            e.HasIndex(x => x.Status);
            // One run per (stream, scheduled fire time) cluster-wide: a second host's insert for the same fire time fails
            // and counts as "already ran" (manual and backfill runs have no fire time; NULLs never collide).
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.Stream, x.ScheduledFor }).IsUnique();
        });
        b.Entity<JobClaimRow>(e => { e.ToTable("job_claims"); e.HasKey(x => new { x.Job, x.FireTime }); });
        b.Entity<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>(e => e.ToTable("data_protection_keys"));
        b.Entity<RawRecordRow>(e => { e.ToTable("raw_records"); e.HasKey(x => new { x.MerchantId, x.StoreId, x.Stream, x.ExternalId }); });
        b.Entity<OrderRow>(e =>
        {
            e.ToTable("orders");
            e.HasKey(x => new { x.MerchantId, x.StoreId, x.ExternalId });
            // A buyer's orders, covering what the customer projection and the scoring read: recomputing or scoring a
            // customer reads index entries only, not the order rows (half the time of a recomputation at a million orders).
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.BuyerId, x.Status, x.CreatedAt, x.Currency, x.Total, x.ExternalId }).HasDatabaseName("IX_orders_buyer");
            e.HasIndex(x => new { x.MerchantId, x.CreatedAt });
        });
        b.Entity<OrderLineRow>(e => { e.ToTable("order_lines"); e.HasKey(x => new { x.MerchantId, x.StoreId, x.OrderExternalId, x.LineNo }); });
        b.Entity<ReviewRow>(e =>
        {
            e.ToTable("reviews");
            e.HasKey(x => new { x.MerchantId, x.StoreId, x.ExternalId });
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.BuyerId });
            e.HasIndex(x => new { x.MerchantId, x.CreatedAt });
        });
        b.Entity<MessageRow>(e =>
        {
            e.ToTable("messages");
            e.HasKey(x => new { x.MerchantId, x.StoreId, x.ExternalId });
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.BuyerId });
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.ConversationId, x.SentAt });
        });
        b.Entity<CaseRow>(e =>
        {
            e.ToTable("cases");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.MerchantId, x.Key }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.Status, x.OpenedAt });
            e.HasIndex(x => new { x.MerchantId, x.OpenedAt });
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.BuyerId });
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.ConversationId, x.OpenedAt });
        });
        b.Entity<CaseEventRow>(e => { e.ToTable("case_events"); e.HasKey(x => x.Id); e.HasIndex(x => new { x.MerchantId, x.CaseId }); });
        b.Entity<ConversationRow>(e =>
        {
            e.ToTable("conversations");
            e.HasKey(x => new { x.MerchantId, x.StoreId, x.ConversationId });
            e.HasIndex(x => new { x.MerchantId, x.LastAt });
            e.HasIndex(x => new { x.MerchantId, x.StoreId, x.BuyerId });
        });
        b.Entity<BuyerRow>(e =>
        {
            e.ToTable("buyers");
            e.HasKey(x => new { x.MerchantId, x.StoreId, x.BuyerId });
            e.HasIndex(x => new { x.MerchantId, x.CustomerId });
            e.HasIndex(x => new { x.MerchantId, x.NameKey });
        });
        b.Entity<CustomerRow>(e =>
        {
            e.ToTable("customers");
            e.HasKey(x => new { x.MerchantId, x.Id });
            e.HasIndex(x => new { x.MerchantId, x.Sequence }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.LastOrderAt });
            // Merged-away ids pointing at a customer (repointed when it merges in turn): only merged rows are indexed.
            e.HasIndex(x => new { x.MerchantId, x.MergedInto }).HasFilter("merged_into IS NOT NULL");
        });
        b.Entity<ValueModelRow>(e => { e.ToTable("value_models"); e.HasKey(x => x.MerchantId); });
        b.Entity<PointsEntryRow>(e =>
        {
            e.ToTable("points_ledger");
            e.HasKey(x => x.Id);
            // One entry per source event: re-syncing or replaying never awards twice.
            e.HasIndex(x => new { x.MerchantId, x.Source }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.CustomerId, x.At });
        });
        b.Entity<ValueDistributionRow>(e => { e.ToTable("value_distributions"); e.HasKey(x => x.MerchantId); });
        b.Entity<CustomerScoreRow>(e =>
        {
            e.ToTable("customer_scores");
            e.HasKey(x => new { x.MerchantId, x.CustomerId });
            // The list's filters and sorts: tier=, segment=, sort=score, sort=clv.
            e.HasIndex(x => new { x.MerchantId, x.Tier });
            e.HasIndex(x => new { x.MerchantId, x.Segment });
            e.HasIndex(x => new { x.MerchantId, x.Score });
            e.HasIndex(x => new { x.MerchantId, x.Clv });
        });
        b.Entity<CustomerKeyRow>(e =>
        {
            e.ToTable("customer_keys");
            e.HasKey(x => new { x.MerchantId, x.Key });
            e.HasIndex(x => new { x.MerchantId, x.CustomerId });
        });
        b.Entity<TombstoneRow>(e => { e.ToTable("tombstones"); e.HasKey(x => new { x.MerchantId, x.Hash }); });
        b.Entity<CustomerEventRow>(e =>
        {
            e.ToTable("customer_events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.MerchantId, x.CustomerId });
        });
        b.Entity<TokenRow>(e => { e.ToTable("tokens"); e.HasKey(x => new { x.MerchantId, x.StoreId, x.Name }); });
        b.Entity<OutboxRow>(e => { e.ToTable("outbox"); e.HasKey(x => x.Id); e.HasIndex(x => x.MerchantId); });

        foreach (var entity in b.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
    }

    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}

/// <summary>UTC instant ↔ Unix milliseconds.</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v))
{
    /// <summary>The UTC calendar day of a stored time (the day an order's exchange rate is taken on).</summary>
    public static DateOnly UtcDay(long unixMilliseconds) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime);
}

/// <summary>Money ↔ integer 1/10,000 units: exact, sortable and summable on every provider.</summary>
public sealed class MoneyConverter() : ValueConverter<decimal, long>(
    v => Money.ToStored(v),
    v => Money.FromStored(v));

public static class Money
{
    public const decimal Scale = 10_000m;
    public static long ToStored(decimal value) => (long)decimal.Round(value * Scale, MidpointRounding.AwayFromZero);
    public static decimal FromStored(long value) => value / Scale;
}

/// <summary>
/// For <c>dotnet ef … --context PlatformDbContext</c> (SQLite, <c>Storage/Migrations</c>). Declared before the
/// PostgreSQL one on purpose: <c>IDesignTimeDbContextFactory&lt;PostgresDbContext&gt;</c> is also an
/// <c>IDesignTimeDbContextFactory&lt;PlatformDbContext&gt;</c> (the interface is covariant), and EF Core takes the first
/// factory it finds for the context, so without this one the SQLite migrations would be made against PostgreSQL.
/// </summary>
public sealed class SqliteDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PlatformDbContext>
{
    public PlatformDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PlatformDbContext>().UseSqlite("Data Source=platform_design.db").Options);
}
