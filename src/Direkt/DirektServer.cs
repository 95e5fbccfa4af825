using System.Net;
using Direkt.Assets;
using Direkt.Assets.Transformations;
using Direkt.Configuration.Loading;
using Direkt.Http;
using Direkt.Http.Access;
using Direkt.Imaging;
using Direkt.Imaging.Rendering;
using Direkt.Jobs;
using Direkt.Scheduling;
using Direkt.Variants;
using Direkt.Storage.Objects;
using Direkt.Storage;
using Direkt.Storage.Records;
using Prometheus;
using Serilog;
using Serilog.Events;

namespace Direkt;

/// <summary>The composition root: reads direkt.conf, wires the parts together and runs Kestrel.</summary>
internal static class DirektServer
{
    public const int ConfigurationErrorExitCode = 2;

    /// <summary>The executable: a verb (docs/operations.md), or the server when none is given.</summary>
    public static Task<int> RunAsync(string[] args) => Cli.CommandLine.RunAsync(args);

    /// <summary>Runs the server until SIGTERM/SIGINT.</summary>
    public static async Task<int> ServeAsync(string? configPath)
    {
        Log.Logger = ServerLogging.Bootstrap();
        try
        {
            await using var app = Build(new DirektServerOptions { Configuration = ConfigurationSource.FromProcess(configPath) });
            await PrepareAsync(app);
            await app.RunAsync();
            return 0;
        }
        catch (DirektConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ConfigurationErrorExitCode;
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync($"Direkt cannot start: {e.Message}");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>
    /// libvips threads per job: as configured, else (0) the CPUs shared out among the workers, at least one, so that all
    /// workers busy at once never run more libvips threads than there are CPUs (2 × CPUs workers: one each). libvips' own
    /// default, a thread per CPU in every job, put 2 × CPUs² threads on the CPUs (docs/benchmarks.md).
    /// </summary>
    public static int VipsThreads(int configured, int workers) =>
        configured > 0 ? configured : Math.Max(1, Environment.ProcessorCount / workers);

    /// <summary>Builds the application; throws <see cref="DirektConfigurationException"/> for an invalid configuration.</summary>
    public static WebApplication Build(DirektServerOptions options)
    {
        var configuration = DirektConfigurationLoader.Load(options.Configuration);
        var o = configuration.Options;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            // Direkt reads direkt.conf, never appsettings.json; the framework's reload-on-change would watch the working folder
            // recursively, so every write below it (the default data folder: records, objects, logs) wakes a watcher thread.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Host.UseSerilog(ServerLogging.Create(o.Logging, options.LogOutput), dispose: true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.ListenAddress is { } address) kestrel.Listen(address, o.Http.Port);
            else kestrel.ListenAnyIP(o.Http.Port);
            // /metrics, /stats and /status move there (Http.Access.AdminPortFilter).
            if (o.Http.AdminPort is { } adminPort)
            {
                if (options.ListenAddress is { } adminAddress) kestrel.Listen(adminAddress, adminPort);
                else kestrel.ListenAnyIP(adminPort);
            }
            kestrel.AddServerHeader = false;
            // The upload limit is enforced precisely while streaming; this bound also covers the metadata part and framing.
            kestrel.Limits.MaxRequestBodySize = o.Source.Multipart.MaxBytes + 1024 * 1024;
        });

        var services = builder.Services;
        var monitor = new DirektConfigurationMonitor(configuration, options.Configuration);
        services.AddSingleton(configuration); // the start-up snapshot: what only a restart changes
        services.AddSingleton(monitor);
        services.AddSingleton(TimeProvider.System);
        var workers = o.VariantGeneration.Workers > 0 ? o.VariantGeneration.Workers : WorkerPoolOptions.DefaultWorkers;
        services.AddDirektImaging(VipsThreads(o.VariantGeneration.VipsConcurrency, workers),
            new DecodedOriginalsOptions { MaxBytes = o.DecodeCache.Memory, MaxObjectBytes = o.DecodeCache.MaxObjectSize },
            new EncodingSettings(o.VariantGeneration.AvifEffort), out var capabilities);
        TransformationSettingsCheck.Validate(configuration, capabilities);
        services.AddSingleton(new TemporarySpace(o.Limits.MaxTemporaryBytes));
        services.AddDirektScheduling(new WorkerPoolOptions
        {
            Workers = workers,
            QueueSize = o.VariantGeneration.QueueSize,
            SynchronousPriority = o.VariantGeneration.SynchronousPriority,
            EnqueueTimeout = o.VariantGeneration.EnqueueTimeout,
            JobTimeout = o.VariantGeneration.JobTimeout,
        }, o.VariantGeneration.MemoryBudget);
        services.AddDirektStorage(StorageSettings(configuration));
        services.AddSingleton(provider => provider.GetRequiredService<IObjectStore>() as IPresignedObjectUrls ?? NoPresignedUrls.Instance);
        services.AddDirektVariants(path => monitor.Current.Paths.Resolve(path).Image.Lqip,
            () => new OutputLimits(monitor.Current.Options.Limits.MaxOutputDimension, monitor.Current.Options.Limits.MaxOutputPixels),
            new ExpiryRules(
            path => Expiry(monitor.Current.Paths.Resolve(path).Transform.Expire),
            () => monitor.Current.Paths.Patterns.Select(p => Expiry(monitor.Current.Paths.Resolve(p.ExamplePath()).Transform.Expire)).ToList()),
            () => monitor.Current.Options.Limits.MaxVariantsPerAsset,
            new HotVariantCacheOptions { MaxBytes = o.HitCache.Memory, MaxObjectBytes = o.HitCache.MaxObjectSize });
        services.AddDirektAssets(Direkt.Assets.Sources.UrlSourceOptions.From(o.Source.Url));
        services.AddSingleton<Direkt.Storage.Outbox.DeletionOutbox>();
        services.AddSingleton<Direkt.Storage.Outbox.OrphanSweeper>();
        AddBackgroundWork(services, o.VariantGeneration.ShutdownGrace);
        // After the worker pool's service: hosted services stop in reverse order, so the job runner stops (and saves its cursor) first.
        services.AddDirektJobs(new Direkt.Jobs.JobSettings(o.Jobs.Retention, o.Jobs.Lease, o.VariantGeneration.ShutdownGrace, TimeSpan.FromSeconds(2)));
        Metrics.MetricsServices.AddDirektMetrics(services);
        services.AddDirektHttp();
        options.ConfigureServices?.Invoke(services);

        var app = builder.Build();
        app.UseDirektHttp();
        Metrics.MetricsServices.MapDirektMetrics(app);
        return app;
    }

    // The host's own loops: reloading direkt.conf, the worker pool's lifetime, the outbox, the sweeper and the reaper.
    private static void AddBackgroundWork(IServiceCollection services, TimeSpan shutdownGrace)
    {
        services.AddHostedService<ConfigurationReloadService>();
        services.AddHostedService<WorkerPoolService>();
        services.AddHostedService<DeletionOutboxService>();
        services.AddHostedService<OrphanSweeperService>();
        services.AddHostedService<VariantExpiryService>();
        // Running work may take shutdown-grace to finish; the host must wait that long before giving up.
        services.Configure<HostOptions>(h => h.ShutdownTimeout = shutdownGrace + TimeSpan.FromSeconds(5));
    }

    /// <summary>Start-up work before the server accepts requests: libvips set-up, schema migrations, a store check.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var configuration = app.Services.GetRequiredService<DirektConfiguration>();
        AccessRules.EnsureDeclared(((IEndpointRouteBuilder)app).DataSources);
        var version = LibvipsRuntime.Version;
        var capabilities = app.Services.GetRequiredService<FormatCapabilities>();
        app.Logger.LogInformation("libvips {Version} ({Library}); reads {Readable}; writes {Formats}; lacks {Missing}", version, LibvipsRuntime.Library,
            string.Join(", ", capabilities.Readable.Select(f => f.Name)), string.Join(", ", capabilities.Writable.Select(f => f.Name)),
            string.Join(", ", capabilities.Missing.Select(f => f.Name)) is { Length: > 0 } missing ? missing : "nothing");
        if (!LibvipsRuntime.LoadersRestricted)
            app.Logger.LogWarning("libvips {Version} cannot block operations (8.13 or later can): its other loaders stay callable, though Direkt never calls them", version);
        if (configuration.FilePath is null)
            app.Logger.LogInformation("No {Path} found; running on the built-in defaults", DirektConfigurationLoader.DefaultPath);
        else app.Logger.LogInformation("Configuration read from {Path}", configuration.FilePath);
        foreach (var warning in configuration.Warnings) app.Logger.LogWarning("Configuration: {Warning}", warning);

        DataFolderCheck.Run(configuration);
        try
        {
            await MigrateAsync(app.Services, cancellationToken);
            await app.Services.GetRequiredService<IObjectStore>().CheckHealthAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StartupException($"the stores are not usable: {e.Message}", e);
        }
    }

    /// <summary>Creates or upgrades the database schema (start-up, and the `migrate` verb).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        foreach (var task in services.GetServices<IStorageStartupTask>()) await task.RunAsync(cancellationToken);
    }

    private static StorageSettings StorageSettings(DirektConfiguration configuration)
    {
        var o = configuration.Options;
        var postgresql = o.DataStore.Postgresql;
        return new StorageSettings(
            new ObjectStoreSettings(o.ObjectStore.Provider, o.ObjectStore.Filesystem.Root, o.ObjectStore.Provider == "s3" ? S3Settings(configuration) : null),
            new RecordStoreSettings(o.DataStore.Provider, o.DataStore.Sqlite.Path, new PostgresSettings(postgresql.Host, postgresql.Port,
                postgresql.Database, postgresql.User, postgresql.Password, postgresql.SslMode, postgresql.PoolSize)));
    }

    private static S3StoreSettings S3Settings(DirektConfiguration configuration)
    {
        var s3 = configuration.Options.ObjectStore.S3;
        return new S3StoreSettings
        {
            EndpointUrl = s3.EndpointUrl, Region = s3.Region, AccessKey = s3.AccessKey, SecretKey = s3.SecretKey,
            ForcePathStyle = s3.ForcePathStyle, ChunkedEncoding = s3.ChunkedEncoding,
            Buckets = Buckets(configuration),
        };
    }

    private static ExpiryRule Expiry(Direkt.Configuration.Options.ExpirePolicy policy) =>
        new(policy.Strategy switch
        {
            Direkt.Configuration.Options.ExpireStrategy.Ttl => ExpiryStrategy.Ttl,
            Direkt.Configuration.Options.ExpireStrategy.Idle => ExpiryStrategy.Idle,
            _ => ExpiryStrategy.Never,
        }, policy.Ttl);

    /// <summary>Every bucket some path stores into.</summary>
    public static IReadOnlyList<string> Buckets(DirektConfiguration configuration) =>
        configuration.Paths.Patterns.Select(p => configuration.Paths.Resolve(p.ExamplePath()).ObjectStore.Bucket)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

}

/// <summary>Stands in for stores that cannot presign; start-up validation keeps the presigned strategy away from them.</summary>
internal sealed class NoPresignedUrls : IPresignedObjectUrls
{
    public static readonly NoPresignedUrls Instance = new();
    public Uri PresignGet(string bucket, string key, TimeSpan validFor) =>
        throw new InvalidOperationException("this object store cannot presign URLs");
}

/// <summary>The server cannot start for a reason the operator must fix (unreachable store, unwritable folder).</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
