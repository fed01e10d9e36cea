namespace Platform.Benchmarks;

/// <summary>
/// <c>--identity</c>: identity resolution at scale (see <see cref="IdentityBenchmark"/>). Same exit codes as the
/// default mode: 0 on success, 1 on a failure (with the reason), 2 on bad options.
/// </summary>
public static class IdentityMode
{
    public const string Usage = "usage: dotnet run -c Release --project tests/Platform.Benchmarks -- --identity [--orders 1000000] [--people 270000] [--days 90]";

    /// <summary>Two hosts ingesting a million orders each, then up to 10 minutes of reads per kind: far longer than the default mode.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(90);

    public static async Task<int> RunAsync(string[] args)
    {
        IdentityOptions options;
        try
        {
            options = IdentityOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var timeout = new CancellationTokenSource(Timeout);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            timeout.Cancel();
        };
        var ct = timeout.Token;

        try
        {
            var layout = RepoLayout.Find();
            var stores = new IdentityStores(options, DateTimeOffset.UtcNow);
            var loadAtStart = Report.LoadAverage();
            Console.WriteLine($"cores: {Environment.ProcessorCount}; load average {loadAtStart}; host: {layout.HostDll}");

            var result = await new IdentityBenchmark(layout, stores, Console.Out).RunAsync(ct);
            IdentityReport.Print(Console.Out, options, layout, result, loadAtStart);
            if (result.Off.Orders != result.On.Orders)
            {
                Console.Error.WriteLine($"benchmark failed: the host without resolution inserted {result.Off.Orders} orders, the one with it {result.On.Orders}: the two measured different data");
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
            Console.Error.WriteLine($"benchmark failed: timed out ({Timeout.TotalMinutes:0} minutes overall) or cancelled");
            return 1;
        }
    }
}
