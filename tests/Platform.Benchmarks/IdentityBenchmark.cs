using System.Diagnostics;

namespace Platform.Benchmarks;

/// <summary>Both hosts of the identity mode and the wall time of the whole mode.</summary>
public sealed record IdentityResult(IdentityHostResult Off, IdentityHostResult On, TimeSpan Wall)
{
    /// <summary>What resolving identities adds to ingestion: (on − off) / off.</summary>
    public double Overhead => (On.Ingestion - Off.Ingestion) / Off.Ingestion;
}

/// <summary>
/// Identity resolution at scale: the same three stores ingested by two fresh hosts, first with resolution off
/// (the baseline: rows committed, nothing resolved), then on (rows committed and every buyer account resolved into
/// customers), one after the other so they never compete for the cores. The latency of reads runs on the second.
/// </summary>
public sealed class IdentityBenchmark(RepoLayout layout, IdentityStores stores, TextWriter log)
{
    public async Task<IdentityResult> RunAsync(CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var host = new IdentityHost(layout, stores, log);

        log.WriteLine("## 1. Identity resolution off");
        var off = await host.RunAsync(resolution: false, ct);

        log.WriteLine("## 2. Identity resolution on, then read latency");
        var on = await host.RunAsync(resolution: true, ct);

        return new IdentityResult(off, on, wall.Elapsed);
    }
}
