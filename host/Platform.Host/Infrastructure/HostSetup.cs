using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Platform.Host.Customers;
using Platform.Host.Merchants;
using Platform.Host.Plugins;
using Platform.Host.Scheduling;
using Platform.Host.Storage;
using Platform.Host.Stores;
using Quartz;

namespace Platform.Host.Infrastructure;

/// <summary>The composition root's chapters, so Program.cs reads like a table of contents.</summary>
public static class HostSetup
{
    public static WebApplicationBuilder AddPlatformOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PlatformOptions>()
            .BindConfiguration(PlatformOptions.Section)
            .Configure<IConfiguration>(ExchangeRateConfig.Load)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PlatformOptions>, PlatformOptionsValidator>();
        return builder;
    }

    public static WebApplicationBuilder AddPlatformOrleans(this WebApplicationBuilder builder)
    {
        var options = PlatformOptions.AtBuild(builder.Configuration);
        var cluster = options.Cluster;
        if (cluster.Problems().ToList() is { Count: > 0 } problems)
            throw new OptionsValidationException(PlatformOptions.Section, typeof(PlatformOptions), problems);
        var redis = cluster.IsRedis ? Cluster.RedisOptions(builder.Configuration, options) : null;
        builder.UseOrleans(silo =>
        {
            if (redis is null)
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: "platform", clusterId: cluster.ClusterId);
            else
                Cluster.UseRedis(silo, cluster, redis, builder.Configuration);
            // Grain calls carry the caller's trace (a scheduled job's, an API request's): spans only when exported.
            silo.AddActivityPropagation();
        });
        // On SIGTERM: Quartz waits for its jobs, the silo leaves the cluster and its store grains stop their runs at the next
        // page (each committed page keeps its checkpoint). 45 s by default (HostOptions:ShutdownTimeout); containers
        // should allow a little more before they kill (compose.yaml: stop_grace_period 60s).
        var shutdown = builder.Configuration["HostOptions:ShutdownTimeout"];
        if (shutdown is not null && (!TimeSpan.TryParse(shutdown, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed <= TimeSpan.Zero))
            throw new ClusterStartupException($"HostOptions:ShutdownTimeout is '{shutdown}': give a positive time span, e.g. 00:00:45.");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown is null ? TimeSpan.FromSeconds(45) : TimeSpan.Parse(shutdown, System.Globalization.CultureInfo.InvariantCulture));
        return builder;
    }

    public static WebApplicationBuilder AddPlatformServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var dataDirectory = PlatformOptions.AtBuild(builder.Configuration).ResolveDataDirectory();
        var protection = services.AddDataProtection().SetApplicationName("platform");
        // One host: the key ring in the data directory. A cluster: in the shared database, so every host decrypts what
        // another encrypted (the hosts' data directories are their own).
        if (Cluster.IsClustered(builder.Configuration)) protection.PersistKeysToDbContext<PostgresDbContext>();
        else protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        RotatedKeyResolver.Decorate(services);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<Platform.Host.Admin.KeyRingRotation>();
        services.AddSingleton<PluginCatalog>();
        services.AddSingleton<Readiness>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<MerchantDirectory>();
        services.AddSingleton<MerchantService>();
        services.AddSingleton<StoreConfig>();
        services.AddSingleton<StoreService>();
        services.AddSingleton<ConnectorFactory>();
        services.AddSingleton<WriteGate>();
        services.AddSingleton<Platform.Host.Service.ServiceSettings>();
        services.AddSingleton<Platform.Host.Service.CaseQueries>();
        services.AddSingleton<Platform.Host.Service.ServiceStats>();
        services.AddSingleton<Platform.Host.Service.ServiceViews>();
        services.AddSingleton<Platform.Host.Service.CaseSweep>();
        services.AddSingleton<Platform.Host.Service.ServiceBackfill>();
        services.AddSingleton<IngestWriter>();
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<SyncScheduler>();
        services.AddSingleton<CustomerProjector>();
        services.AddSingleton<CustomerQueries>();
        services.AddSingleton<Platform.Host.Value.ValueModels>();
        services.AddSingleton<Platform.Host.Value.Scoring>();
        services.AddSingleton<Platform.Host.Value.PointsAwards>();
        services.AddSingleton<Platform.Host.Value.ValueViews>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<Platform.Host.Http.ConnectorHttp>();
        var scoringCron = PlatformOptions.AtBuild(builder.Configuration).Value.ScoringCron;
        var sweepCron = PlatformOptions.AtBuild(builder.Configuration).Service.SweepCron;
        services.AddSingleton<HostIdentity>();
        services.AddSingleton<ClusterOnce>();
        services.AddQuartz(q =>
        {
            // Every host runs these triggers; one host per fire time does the work (a claim row in the database).
            q.AddTriggerListener<ClusterOnce>(sp => sp.GetRequiredService<ClusterOnce>(),
                [GroupMatcher<TriggerKey>.GroupEquals("value"), GroupMatcher<TriggerKey>.GroupEquals("service")]);
            q.AddJob<SyncJob>(j => j.WithIdentity(SyncJob.Key).StoreDurably());
            q.AddJob<Platform.Host.Value.ScoringJob>(j => j.WithIdentity(Platform.Host.Value.ScoringJob.Key).StoreDurably());
            // A cron the validator rejects stops the host at start with its message; no trigger is made from it.
            if (CronExpression.TryParse(scoringCron, out _))
                q.AddTrigger(t => t.ForJob(Platform.Host.Value.ScoringJob.Key).WithIdentity("scoring", "value")
                    .WithCronSchedule(scoringCron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
            q.AddJob<Platform.Host.Service.CaseSweepJob>(j => j.WithIdentity(Platform.Host.Service.CaseSweepJob.Key).StoreDurably());
            if (CronExpression.TryParse(sweepCron, out _))
                q.AddTrigger(t => t.ForJob(Platform.Host.Service.CaseSweepJob.Key).WithIdentity("case-sweep", "service")
                    .WithCronSchedule(sweepCron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
        });
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        services.AddHostedService<StartupService>();
        services.AddHostedService<SqliteCheckpointer>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestLimits.Customize);
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
        return builder;
    }
}
