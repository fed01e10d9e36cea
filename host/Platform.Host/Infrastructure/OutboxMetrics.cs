using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Platform.Host.Storage;

namespace Platform.Host.Infrastructure;

/// <summary>
/// Outbox lag on the <c>Platform.Host</c> meter: <c>platform.outbox.pending</c> (buyer changes synced but not yet
/// applied to profiles) and <c>platform.outbox.oldest_age</c> (seconds since the oldest of them was written; 0 when
/// caught up), per merchant. Collections read a snapshot that is refreshed by one grouped query at most every
/// <see cref="RefreshInterval"/>, however often metrics are collected. Registered only when telemetry is exported.
/// </summary>
public sealed class OutboxMetrics(IMeterFactory meters, IDbContextFactory<PlatformDbContext> factory, TimeProvider clock, ILogger<OutboxMetrics> logger)
    : IHostedService, IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private Meter? _meter;
    private IReadOnlyList<(string Merchant, long Pending, long OldestMs)> _snapshot = [];
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _meter = meters.Create(PlatformTelemetry.Name);
        _meter.CreateObservableGauge("platform.outbox.pending", () => Snapshot().Select(s =>
            new Measurement<long>(s.Pending, new KeyValuePair<string, object?>("platform.merchant", s.Merchant))), "{event}",
            "Buyer changes synced but not yet applied to customer profiles, by merchant");
        _meter.CreateObservableGauge("platform.outbox.oldest_age", () =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            return Snapshot().Select(s => new Measurement<double>(Math.Max(0, now - s.OldestMs) / 1000.0,
                new KeyValuePair<string, object?>("platform.merchant", s.Merchant)));
        }, "s", "Age of the oldest buyer change not yet applied to customer profiles, by merchant");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter?.Dispose();

    /// <summary>The cached counts; one query refreshes them when they are older than <see cref="RefreshInterval"/>.</summary>
    private IReadOnlyList<(string Merchant, long Pending, long OldestMs)> Snapshot()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _refreshedAt < RefreshInterval) return _snapshot;
            _refreshedAt = now;
            try
            {
                using var db = factory.CreateDbContext();
                db.Database.OpenConnection();
                using var cmd = db.Database.GetDbConnection().CreateCommand();
                // Every merchant, caught up (0 pending, age 0) or not, so each series stays and drops to zero.
                cmd.CommandText = """
                    SELECT m.id, COUNT(o.id), MIN(o.created_at) FROM merchants m
                    LEFT JOIN outbox o ON o.merchant_id = m.id GROUP BY m.id
                    """;
                var rows = new List<(string, long, long)>();
                var nowMs = now.ToUnixTimeMilliseconds();
                using (var r = cmd.ExecuteReader())
                    while (r.Read()) rows.Add((r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? nowMs : r.GetInt64(2)));
                _snapshot = rows;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogDebug(e, "Outbox metrics not refreshed");
            }
            return _snapshot;
        }
    }
}
