using System.Diagnostics;
using System.Text.Json;
using Platform.Abstractions;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The reliability suite's file faults in SQLite mode, while a backfill runs: the host's files may grow no further
/// (RLIMIT_FSIZE set on the running process with <c>prlimit</c>, what a full volume or a quota does to a writer), or the
/// database file becomes read-only (<c>chattr +i</c>: the tests run as root, whom permissions do not stop). The run fails
/// saying which, the host stays up, and once the file is writable again the next run catches up with every order once.
/// </summary>
public sealed class SqliteFileFaultTests
{
    private const string Merchant = "m";
    private const string Store = "shop";
    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-55);
    private static object Settings => new { population = 9, people = 2_000, ordersPerDay = 400, pageSize = 250, pageDelayMs = 20, closedOn = ClosedStores.ClosedOn };

    [Fact]
    public async Task A_database_that_cannot_grow_fails_the_run_in_words_and_once_there_is_room_the_next_run_catches_up()
    {
        var expected = (await SandboxSource.ReadAllAsync<OrderRecord>(Store, Settings, StreamName.Orders, Since)).Select(o => o.ExternalId).ToHashSet();
        var data = TestPaths.NewTempDirectory("disk-full");
        await using var host = new HostProcess(data);
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync(Merchant);
        await api.PutStoreAsync(Merchant, Store, Settings, Since);
        var runId = Assert.Single(await api.StartSyncAsync(Merchant, Store, "orders"));
        await Eventually.Until(async () => (await LatestRunAsync(api)).GetProperty("inserted").GetInt32() >= 1_000, TimeSpan.FromSeconds(60));

        // No file of the host may grow past what the largest is now (+64 KiB).
        var largest = Directory.GetFiles(data, "platform.db*").Max(f => new FileInfo(f).Length);
        await PrlimitAsync(host, largest + 64 * 1024);
        JsonElement failed = default;
        try
        {
            await Eventually.Until(async () => (failed = await LatestRunAsync(api)).GetProperty("status").GetString() != "running", TimeSpan.FromSeconds(60),
                () => $"the run went on although the database cannot grow: {failed}\n{host.Log}");
        }
        finally
        {
            if (!host.HasExited) await PrlimitAsync(host, null);
        }
        Assert.False(host.HasExited, "the host died when the database could not grow:\n" + host.Log);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var error = failed.GetProperty("error").GetString()!;
        Assert.Contains("database", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("full", error, StringComparison.OrdinalIgnoreCase);
        var committed = failed.GetProperty("inserted").GetInt32();
        Assert.InRange(committed, 1_000, expected.Count - 1);

        var resumed = Assert.Single(await api.SyncAsync(Merchant, Store, "orders"));
        Assert.Equal(expected.Count - committed, resumed.GetProperty("inserted").GetInt32());
        var stored = (await api.GetAllAsync($"/api/v1/merchants/{Merchant}/orders?store={Store}")).Select(o => o.GetProperty("id").GetString()!).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.True(expected.SetEquals(stored));
    }

    [Fact]
    public async Task A_database_file_made_read_only_mid_run_fails_the_run_naming_the_file_and_once_writable_the_next_run_catches_up()
    {
        var expected = (await SandboxSource.ReadAllAsync<OrderRecord>(Store, Settings, StreamName.Orders, Since)).Select(o => o.ExternalId).ToHashSet();
        var data = TestPaths.NewTempDirectory("read-only");
        var files = new[] { "platform.db", "platform.db-wal" }.Select(f => Path.Combine(data, f)).ToArray();
        await using var host = new HostProcess(data);
        await host.StartAsync();
        using var api = host.Client();
        await api.CreateMerchantAsync(Merchant);
        await api.PutStoreAsync(Merchant, Store, Settings, Since);
        var runId = Assert.Single(await api.StartSyncAsync(Merchant, Store, "orders"));
        await Eventually.Until(async () => (await LatestRunAsync(api)).GetProperty("inserted").GetInt32() >= 1_000, TimeSpan.FromSeconds(60));

        await RunAsync("chattr", ["+i", .. files]);
        try
        {
            await Eventually.Until(() => Task.FromResult(host.Log.Contains($"Run {runId} failed", StringComparison.Ordinal) || host.HasExited), TimeSpan.FromSeconds(60),
                () => "the run went on although the database file is read-only:\n" + host.Log);
        }
        finally
        {
            await RunAsync("chattr", ["-i", .. files]);
        }
        Assert.False(host.HasExited, "the host died when its database file became read-only:\n" + host.Log);
        JsonElement failed = default;
        await Eventually.Until(async () => (failed = await LatestRunAsync(api)).GetProperty("status").GetString() != "running", TimeSpan.FromSeconds(60));
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var error = failed.GetProperty("error").GetString()!;
        Assert.Contains("read-only", error, StringComparison.Ordinal);
        Assert.Contains(data, error, StringComparison.Ordinal);
        var committed = failed.GetProperty("inserted").GetInt32();

        var resumed = Assert.Single(await api.SyncAsync(Merchant, Store, "orders"));
        Assert.Equal(expected.Count - committed, resumed.GetProperty("inserted").GetInt32());
        var stored = (await api.GetAllAsync($"/api/v1/merchants/{Merchant}/orders?store={Store}")).Select(o => o.GetProperty("id").GetString()!).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.True(expected.SetEquals(stored));
    }

    private static async Task RunAsync(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {stderr}");
    }

    /// <summary>Sets (or with null lifts) the largest file the running host may write.</summary>
    private static async Task PrlimitAsync(HostProcess host, long? bytes)
    {
        var pid = host.ProcessId ?? throw new InvalidOperationException("the host is not running");
        using var process = Process.Start(new ProcessStartInfo("prlimit", ["--pid", pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"--fsize={(bytes is { } b ? b.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unlimited")}:unlimited"])
        { RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "prlimit failed: " + stderr);
    }

    private static async Task<JsonElement> LatestRunAsync(HttpClient api) =>
        (await api.GetJsonAsync($"/api/v1/merchants/{Merchant}/stores/{Store}/runs")).GetProperty("items")[0];
}
