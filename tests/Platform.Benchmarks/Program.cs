// End-to-end ingestion benchmark of the platform, with a floor measured in the same run.
//
//   dotnet run -c Release --project tests/Platform.Benchmarks -- [--orders-per-day 1112] [--people 30000] [--days 90] [--page-size 1000]
//   dotnet run -c Release --project tests/Platform.Benchmarks -- --identity [--orders 1000000] [--people 270000] [--days 90]
//   dotnet run -c Release --project tests/Platform.Benchmarks -- --scoring [--orders 1000000] [--people 270000] [--days 90] [--data DIR]
//   dotnet run -c Release --project tests/Platform.Benchmarks -- --deployments [--orders-per-day 1000] [--days 30] [--people 9000] [--readers 100]
//
// 1. End to end: the host built with this project (same configuration) runs as a child process; a sandbox store is
//    created and its orders stream synced through the REST API; the clock runs from POST sync until the run finished
//    and the customer profiles caught up (pendingEvents = 0).
// 2. Floor: the same orders read in-process from the sandbox plugin, then serialized as marketplace pages, parsed
//    with System.Text.Json and written with plain Microsoft.Data.Sqlite, one transaction per page.
// With --identity, identity resolution at scale instead (IdentityMode): three stores sharing one population ingested
// by a host with resolution off and one with it on (the overhead), then the latency of customer search and profiles.
// With --scoring, fitting and full scoring at the same scale (ScoringMode); --data DIR keeps the ingested database.
// With --deployments, the end-to-end ingestion (1.) on three deployments one after another, same store (DeploymentsMode):
// SQLite with one host, PostgreSQL with one host, PostgreSQL + Redis with two hosts (two silos, one cluster); during
// each backfill --readers concurrent clients on loopback (100 by default, spread over the hosts) read the customers
// list, customer searches and profiles: orders/s and the reads' p50/p95/p99 (with requests and errors) side by side.
// Throw-away PostgreSQL (initdb/pg_ctl from /usr/lib/postgresql/*/bin, Debian package postgresql) and redis-server
// (package redis-server) are started for the run and deleted at the end. No floor in this mode.
// Prints a Markdown table; exits 0 on success, 1 on a failure (with the reason), 2 on bad options.

using Platform.Benchmarks;

if (IdentityOptions.IsSelected(args)) return await IdentityMode.RunAsync(args);
if (ScoringMode.IsSelected(args)) return await ScoringMode.RunAsync(args);
if (DeploymentsOptions.IsSelected(args)) return await DeploymentsMode.RunAsync(args);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Platform.Benchmarks -- [--orders-per-day 1112] [--people 30000] [--days 90] [--page-size 1000]");
    Console.Error.WriteLine($"   or: {IdentityMode.Usage["usage: ".Length..]}");
    Console.Error.WriteLine($"   or: {DeploymentsOptions.Usage["usage: ".Length..]}");
    return 2;
}

using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    timeout.Cancel();
};
var ct = timeout.Token;

try
{
    var layout = RepoLayout.Find();
    var store = new BenchStore(options, DateTimeOffset.UtcNow);
    var loadAtStart = Report.LoadAverage();
    Console.WriteLine($"cores: {Environment.ProcessorCount}; load average {loadAtStart}; host: {layout.HostDll}");

    Console.WriteLine("## 1. End to end through the host");
    var e2e = await new EndToEnd(layout, store, Console.Out).RunAsync(ct);

    Console.WriteLine("## 2. Floor in-process (sandbox → JSON pages → System.Text.Json → Microsoft.Data.Sqlite)");
    var floor = await new Floor(store, Console.Out).RunAsync(ct);

    Report.Print(Console.Out, options, layout, e2e, floor, loadAtStart);
    if (floor.Orders != e2e.Orders)
    {
        Console.Error.WriteLine($"benchmark failed: the floor read {floor.Orders} orders but the host inserted {e2e.Orders}: the two measured different data");
        return 1;
    }
    return 0;
}
catch (BenchmarkException e)
{
    Console.Error.WriteLine($"benchmark failed: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine("benchmark failed: timed out (10 minutes overall) or cancelled");
    return 1;
}
