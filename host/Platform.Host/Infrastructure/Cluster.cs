using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Platform.Host.Infrastructure;

/// <summary>A cluster setting that cannot work: the host stops at start with this message (it names the key).</summary>
public sealed class ClusterStartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The Orleans silo: one host on loopback (<c>Platform:Cluster:Provider=Localhost</c>), or a member of the cluster whose
/// membership table is in Redis (<c>Redis</c>): hosts with the same <c>Platform:Cluster:ClusterId</c> and
/// <c>ConnectionStrings:Redis</c> find each other there, on one PostgreSQL database. Redis needs no schema script.
/// </summary>
public static class Cluster
{
    public const string RedisKey = "ConnectionStrings:Redis";

    /// <summary>Whether the host runs as one of several (then schedules, runs and keys are shared through the database).</summary>
    public static bool IsClustered(IConfiguration configuration) => PlatformOptions.AtBuild(configuration).Cluster.IsRedis;

    /// <summary>
    /// Checks a Redis cluster's settings while the host is built (Orleans would otherwise fail later, or retry forever,
    /// without naming the key): the database must be PostgreSQL, the Redis connection string valid and the server reachable.
    /// </summary>
    public static ConfigurationOptions RedisOptions(IConfiguration configuration, PlatformOptions options)
    {
        if (options.Database.Provider != "Postgres")
            throw new ClusterStartupException(
                $"Platform:Cluster:Provider=Redis needs Platform:Database:Provider=Postgres (it is '{options.Database.Provider}'): several hosts cannot share one SQLite file. " +
                "Point every host at one PostgreSQL database (ConnectionStrings:Platform), or use Platform:Cluster:Provider=Localhost for a single host.");
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ClusterStartupException($"Platform:Cluster:Provider=Redis needs {RedisKey}: set it to a StackExchange.Redis connection string, e.g. redis:6379 (environment: ConnectionStrings__Redis).");
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ClusterStartupException($"{RedisKey} is not a valid Redis connection string ({e.Message}): e.g. redis:6379 or redis:6379,password=…", e);
        }
        if (parsed.EndPoints.Count == 0)
            throw new ClusterStartupException($"{RedisKey} names no server: e.g. redis:6379.");

        // Reachable now? Orleans would keep retrying in the background and the host would never become ready.
        var probe = parsed.Clone();
        probe.AbortOnConnectFail = true;
        probe.ConnectRetry = 1;
        probe.ConnectTimeout = Math.Min(probe.ConnectTimeout, 5000);
        try
        {
            using var redis = ConnectionMultiplexer.Connect(probe);
            redis.GetDatabase().Ping();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or SocketException)
        {
            throw new ClusterStartupException(
                $"The Redis server of {RedisKey} ({string.Join(", ", parsed.EndPoints.Select(EndPointText))}) cannot be reached ({FirstLine(e.Message)}): " +
                "check the connection string and that the server is running.", e);
        }
        // Orleans reconnects on its own once the host runs.
        parsed.AbortOnConnectFail = false;
        return parsed;
    }

    /// <summary>The address other silos reach this one at: <c>Platform:Cluster:AdvertisedAddress</c>, or the machine's.</summary>
    public static IPAddress AdvertisedAddress(ClusterOptions cluster)
    {
        var configured = cluster.AdvertisedAddress;
        if (string.IsNullOrWhiteSpace(configured))
        {
            try
            {
                return Dns.GetHostAddresses(Dns.GetHostName())
                    .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
            }
            catch (SocketException)
            {
                return IPAddress.Loopback;
            }
        }
        if (IPAddress.TryParse(configured, out var ip)) return ip;
        try
        {
            return Dns.GetHostAddresses(configured).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new ClusterStartupException($"Platform:Cluster:AdvertisedAddress '{configured}' has no IPv4 address: give an IP address or a host name other hosts can reach.");
        }
        catch (SocketException e)
        {
            throw new ClusterStartupException($"Platform:Cluster:AdvertisedAddress '{configured}' cannot be resolved ({e.Message}): give an IP address or a host name other hosts can reach.", e);
        }
    }

    public static void UseRedis(ISiloBuilder silo, Platform.Host.Infrastructure.ClusterOptions cluster, ConfigurationOptions redis, IConfiguration configuration)
    {
        var address = AdvertisedAddress(cluster);
        silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = "platform";
        });
        // Loopback: listen there only. Otherwise on every interface (a container's address may be one of several).
        silo.ConfigureEndpoints(address, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis);
        // How fast a host that died is noticed (defaults are Orleans'; tests shorten them): Orleans:Membership:ProbeTimeout, …
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
    }

    private static string EndPointText(EndPoint e) => e switch
    {
        DnsEndPoint d => $"{d.Host}:{d.Port}",
        IPEndPoint i => i.ToString(),
        _ => e.ToString() ?? "",
    };

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}

/// <summary>This host as the cluster knows it (its silo address, with the generation that changes at each start), and who else is alive.</summary>
public sealed class HostIdentity(IServiceProvider services)
{
    private string? _name;

    /// <summary>e.g. <c>127.0.0.1:11111@123456789</c>; recorded on the runs this host runs.</summary>
    public string Name => _name ??= services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

    /// <summary>Whether <paramref name="host"/> (a <see cref="Name"/>) is a silo of the cluster that has not died or left.</summary>
    public bool IsAlive(string? host)
    {
        if (host is null) return false;
        if (host == Name) return true;
        var members = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members;
        return members.Values.Any(m => m.SiloAddress.ToParsableString() == host && m.Status is not SiloStatus.Dead);
    }
}
