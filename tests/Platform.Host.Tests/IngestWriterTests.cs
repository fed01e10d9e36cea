using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Platform.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;
using Platform.Host.Stores;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>The page writer against a real SQLite file with the real migrations.</summary>
public sealed class IngestWriterTests : IngestWriterContract
{
    private readonly string _dir = TestPaths.NewTempDirectory("ingest");

    protected override Task<IDbContextFactory<PlatformDbContext>> CreateFactoryAsync() =>
        Task.FromResult<IDbContextFactory<PlatformDbContext>>(new PooledDbContextFactory<PlatformDbContext>(
            new DbContextOptionsBuilder<PlatformDbContext>().UseSqlite($"Data Source={Path.Combine(_dir, "platform.db")};Pooling=False").Options));

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The page writer on a throw-away PostgreSQL database with its own migrations: there the rows go to the server in
/// batches, so the same cases check that batching keeps the order of statements and the answers of the upserts.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresIngestWriterTests(PostgresServer server) : IngestWriterContract
{
    protected override async Task<IDbContextFactory<PlatformDbContext>> CreateFactoryAsync() =>
        new PostgresFactory(new PooledDbContextFactory<PostgresDbContext>(
            new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(await server.CreateDatabaseAsync($"ingest_{Guid.NewGuid():N}")).Options));

    protected override Task CleanUpAsync() => Task.CompletedTask;

    private sealed class PostgresFactory(IDbContextFactory<PostgresDbContext> inner) : IDbContextFactory<PlatformDbContext>
    {
        public PlatformDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

/// <summary>What the page writer does, on whichever database a subclass gives it.</summary>
public abstract class IngestWriterContract : IAsyncLifetime
{
    private IDbContextFactory<PlatformDbContext> _factory = null!;
    private static readonly IngestTarget Target = new("m1", "s1", "sandbox", "SG");
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract Task<IDbContextFactory<PlatformDbContext>> CreateFactoryAsync();

    protected abstract Task CleanUpAsync();

    public async Task InitializeAsync()
    {
        _factory = await CreateFactoryAsync();
        await using var db = await _factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => CleanUpAsync();

    private static OrderRecord Order(string id, OrderStatus status, DateTimeOffset updatedAt, params OrderLine[] lines) => new()
    {
        ExternalId = id,
        RawJson = $$"""{"order_sn":"{{id}}","status":"{{status}}","update_time":{{updatedAt.ToUnixTimeSeconds()}},"lines":{{lines.Length}}}""",
        Buyer = new BuyerIdentity { BuyerId = "b1", Email = " Mei@Example.com ", Phone = "91234567", Name = "Mei" },
        CreatedAt = T0,
        UpdatedAt = updatedAt,
        Status = status,
        Currency = "SGD",
        Total = lines.Sum(l => l.UnitPrice * l.Quantity),
        Lines = lines,
    };

    private async Task<long> NewRunAsync()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var run = new RunRow { MerchantId = "m1", StoreId = "s1", Stream = "orders", Status = "running", Trigger = "test", StartedAt = T0 };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private Task<PageResult> WriteAsync(long run, params OrderRecord[] orders) =>
        new IngestWriter(_factory, new WriteGate(), Options.Create(new PlatformOptions()), new Platform.Host.Service.ServiceSettings(Options.Create(new PlatformOptions()))).WritePageAsync(Target, StreamName.Orders, new RecordPage(orders, StreamCursor.From(new { at = orders[^1].UpdatedAt })), run, T0, CancellationToken.None);

    [Fact]
    public async Task An_upstream_update_updates_the_order_and_replaces_its_lines()
    {
        var run = await NewRunAsync();
        var first = await WriteAsync(run, Order("o1", OrderStatus.Paid, T0, new OrderLine("RICE10", "Rice 10 kg", 1, 21.90m), new OrderLine("TEA", "Tea", 2, 4.50m)));
        Assert.Equal(new PageResult(1, 1, 0, 0, 1), first);
        var second = await WriteAsync(run, Order("o1", OrderStatus.Shipped, T0.AddDays(1), new OrderLine("RICE10", "Rice 10 kg", 1, 21.90m)));
        Assert.Equal(new PageResult(1, 0, 1, 0, 1), second);

        await using var db = await _factory.CreateDbContextAsync();
        var order = Assert.Single(await db.Orders.ToListAsync());
        Assert.Equal("shipped", order.Status);
        Assert.Equal(21.90m, order.Total);
        Assert.Single(await db.OrderLines.ToListAsync());
        Assert.Single(await db.RawRecords.ToListAsync());
        var buyer = Assert.Single(await db.Buyers.ToListAsync());
        Assert.Equal("mei@example.com", buyer.Email);
        Assert.Equal("+6591234567", buyer.Phone);
        var counters = await db.Runs.SingleAsync(r => r.Id == run);
        Assert.Equal((2, 2, 1, 1, 0), (counters.Pages, counters.Read, counters.Inserted, counters.Updated, counters.Skipped));
        Assert.Contains("update_time", (await db.RawRecords.SingleAsync()).Json);
    }

    [Fact]
    public async Task The_same_page_again_changes_nothing()
    {
        var run = await NewRunAsync();
        var page = Order("o1", OrderStatus.Paid, T0, new OrderLine("TEA", "Tea", 2, 4.50m));
        await WriteAsync(run, page);
        Assert.Equal(new PageResult(1, 0, 0, 1, 0), await WriteAsync(run, page));
        await using var db = await _factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Outbox.CountAsync());
    }

    [Fact]
    public async Task An_older_version_never_overwrites_a_newer_one()
    {
        var run = await NewRunAsync();
        await WriteAsync(run, Order("o1", OrderStatus.Delivered, T0.AddDays(3), new OrderLine("TEA", "Tea", 1, 4.50m)));
        var stale = await WriteAsync(run, Order("o1", OrderStatus.Paid, T0, new OrderLine("TEA", "Tea", 1, 4.50m)));
        Assert.Equal(1, stale.Skipped);
        await using var db = await _factory.CreateDbContextAsync();
        Assert.Equal("delivered", (await db.Orders.SingleAsync()).Status);
    }

    [Fact]
    public async Task Records_of_the_wrong_shape_fail_the_page_naming_the_record_and_store_nothing()
    {
        var run = await NewRunAsync();
        var bad = Order("o9", OrderStatus.Paid, T0, new OrderLine("TEA", "Tea", 1, 4.50m)) with { Currency = "dollars" };
        var error = await Assert.ThrowsAsync<ConnectorDataException>(() => WriteAsync(run, Order("o8", OrderStatus.Paid, T0), bad));
        Assert.Contains("o9", error.Message);
        await using var db = await _factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Orders.CountAsync());
        Assert.Equal(0, await db.Cursors.CountAsync());
    }

    [Fact]
    public async Task A_buyer_is_rewritten_only_when_its_details_change_and_blanks_never_erase_them()
    {
        var run = await NewRunAsync();
        var writer = new IngestWriter(_factory, new WriteGate(), Options.Create(new PlatformOptions()), new Platform.Host.Service.ServiceSettings(Options.Create(new PlatformOptions())));
        Task Write(string id, BuyerIdentity buyer, DateTimeOffset now) =>
            writer.WritePageAsync(Target, StreamName.Orders, new RecordPage([Order(id, OrderStatus.Paid, T0, new OrderLine("TEA", "Tea", 1, 4.50m)) with { Buyer = buyer }],
                StreamCursor.From(new { id })), run, now, CancellationToken.None);
        var mei = new BuyerIdentity { BuyerId = "b1", Email = "mei@example.com", Name = "Mei", City = "Singapore" };

        await Write("o1", mei, T0);
        await Write("o2", mei with { Email = " ", City = null }, T0.AddHours(1)); // same person, fewer details
        await using (var db = await _factory.CreateDbContextAsync())
        {
            var b = await db.Buyers.SingleAsync();
            Assert.Equal((T0, T0, "mei@example.com", "Singapore"), (b.FirstSeenAt, b.UpdatedAt, b.Email, b.City));
        }

        await Write("o3", mei with { City = "Johor Bahru" }, T0.AddHours(2));
        await using (var db = await _factory.CreateDbContextAsync())
        {
            var b = await db.Buyers.SingleAsync();
            Assert.Equal((T0, T0.AddHours(2), "mei@example.com", "Johor Bahru"), (b.FirstSeenAt, b.UpdatedAt, b.Email, b.City));
            Assert.Equal(3, await db.Outbox.CountAsync()); // every page with the buyer's orders asks for their profile again
        }
    }

    [Fact]
    public async Task Pages_committed_together_keep_the_last_version_and_the_last_checkpoint()
    {
        var run = await NewRunAsync();
        var page1 = new RecordPage([Order("o1", OrderStatus.Paid, T0, new OrderLine("TEA", "Tea", 1, 4.50m)), Order("o2", OrderStatus.Paid, T0)], StreamCursor.From(new { page = 1 }));
        var page2 = new RecordPage([Order("o1", OrderStatus.Shipped, T0.AddDays(1), new OrderLine("TEA", "Tea", 1, 4.50m))], StreamCursor.From(new { page = 2 }));
        var result = await new IngestWriter(_factory, new WriteGate(), Options.Create(new PlatformOptions()), new Platform.Host.Service.ServiceSettings(Options.Create(new PlatformOptions()))).WritePagesAsync(Target, StreamName.Orders, [page1, page2], run, T0, CancellationToken.None);

        Assert.Equal(new PageResult(3, 2, 0, 1, 1), result);
        await using var db = await _factory.CreateDbContextAsync();
        Assert.Equal("shipped", (await db.Orders.SingleAsync(o => o.ExternalId == "o1")).Status);
        Assert.Equal(2, await db.Orders.CountAsync());
        Assert.Contains("\"page\":2", (await db.Cursors.SingleAsync()).CursorJson);
        var counters = await db.Runs.SingleAsync(r => r.Id == run);
        Assert.Equal((2, 3, 2, 1), (counters.Pages, counters.Read, counters.Inserted, counters.Skipped));
    }

    [Fact]
    public async Task A_page_larger_than_a_batch_keeps_each_record_s_answer_in_its_place()
    {
        // 2,500 orders: more raw upserts than one batch holds, so the answers (inserted, updated, unchanged) must be
        // matched to their records across batches; every 7th order changes on the second write.
        var run = await NewRunAsync();
        OrderRecord Numbered(int i, bool changed) =>
            Order($"o{i:D5}", changed ? OrderStatus.Shipped : OrderStatus.Paid, changed ? T0.AddDays(1) : T0,
                new OrderLine("TEA", "Tea", 1 + i % 3, 4.50m), new OrderLine("RICE10", "Rice 10 kg", 1, 21.90m)) with
            {
                Buyer = new BuyerIdentity { BuyerId = $"b{i % 900}", Email = $"p{i % 900}@example.com", Name = $"Person {i % 900}" },
            };
        var first = await WriteAsync(run, [.. Enumerable.Range(0, 2500).Select(i => Numbered(i, false))]);
        Assert.Equal(new PageResult(2500, 2500, 0, 0, 900), first);
        var second = await WriteAsync(run, [.. Enumerable.Range(0, 2500).Select(i => Numbered(i, i % 7 == 0))]);
        var changed = Enumerable.Range(0, 2500).Count(i => i % 7 == 0);
        Assert.Equal(new PageResult(2500, 0, changed, 2500 - changed, Enumerable.Range(0, 2500).Where(i => i % 7 == 0).Select(i => i % 900).Distinct().Count()), second);

        await using var db = await _factory.CreateDbContextAsync();
        Assert.Equal(2500, await db.Orders.CountAsync());
        Assert.Equal(changed, await db.Orders.CountAsync(o => o.Status == "shipped"));
        Assert.Equal(5000, await db.OrderLines.CountAsync());
        Assert.Equal(900, await db.Buyers.CountAsync());
        Assert.Equal(changed, await db.RawRecords.CountAsync(r => r.Version == 2));
        Assert.Equal(900 + second.BuyersChanged, await db.Outbox.CountAsync());
    }
}
