using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Host.Storage;

/// <summary>
/// The same model as <see cref="PlatformDbContext"/> on PostgreSQL (Npgsql), with its own migrations in
/// <c>Storage/PostgresMigrations</c> (EF Core keeps migrations per context type). Handed out as a
/// <see cref="PlatformDbContext"/>: the rest of the host does not know which provider it runs on.
/// </summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : PlatformDbContext(options)
{
    /// <summary>Text compares and sorts by code point, as in SQLite (its BINARY collation), whatever the database's locale.</summary>
    public const string Collation = "C";

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        foreach (var entity in b.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                if (property.ClrType == typeof(string))
                    property.SetCollation(Collation);
    }
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresDbContext</c>: no server is needed to add a migration.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=platform_design").Options);
}

/// <summary><see cref="IDbContextFactory{TContext}"/> of the platform's model, backed by the PostgreSQL context's factory.</summary>
internal sealed class PostgresContextFactory(IDbContextFactory<PostgresDbContext> inner) : IDbContextFactory<PlatformDbContext>
{
    public PlatformDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<PlatformDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
