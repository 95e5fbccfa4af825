using Direkt.Storage.Objects;
using Direkt.Storage.Observation;
using Direkt.Storage.Records;
using Direkt.Storage.Records.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Storage;

/// <summary>Which stores to use, in plain settings (the composition root maps direkt.conf onto them).</summary>
public sealed record StorageSettings(ObjectStoreSettings Objects, RecordStoreSettings Records);

/// <summary>object-store: a provider name and that provider's settings.</summary>
public sealed record ObjectStoreSettings(string Provider, string? FilesystemRoot = null, S3StoreSettings? S3 = null);

/// <summary>data-store: a provider name and that provider's settings.</summary>
public sealed record RecordStoreSettings(string Provider, string? SqlitePath = null, PostgresSettings? Postgresql = null);

/// <summary>data-store.postgresql.</summary>
public sealed record PostgresSettings(string Host, int Port, string Database, string User, string Password, string SslMode, int PoolSize);

public static class StorageServices
{
    // Each provider registers itself under its direkt.conf name.
    private static readonly IReadOnlyDictionary<string, Action<IServiceCollection, ObjectStoreSettings>> ObjectStores =
        new Dictionary<string, Action<IServiceCollection, ObjectStoreSettings>>
        {
            ["filesystem"] = (services, s) => services.AddSingleton<IObjectStore>(_ => new FileSystemObjectStore(Require(s.FilesystemRoot, "filesystem root setting"))),
            ["s3"] = (services, s) =>
            {
                services.AddSingleton(_ => new S3ObjectStore(Require(s.S3, "s3 block")));
                services.AddSingleton<IObjectStore>(provider => provider.GetRequiredService<S3ObjectStore>());
                services.AddSingleton<IBucketSet>(provider => provider.GetRequiredService<S3ObjectStore>());
            },
            ["in-memory"] = (services, _) => services.AddSingleton<IObjectStore>(_ => new InMemoryObjectStore()),
        };

    private static readonly IReadOnlyDictionary<string, Action<IServiceCollection, RecordStoreSettings>> RecordStores =
        new Dictionary<string, Action<IServiceCollection, RecordStoreSettings>>
        {
            ["sqlite"] = (services, s) => AddSql(services,
                observer => SqlAssetRepository.Sqlite(Require(s.SqlitePath, "sqlite path setting"), observer: observer)),
            ["postgresql"] = (services, s) => AddSql(services,
                observer => SqlAssetRepository.Postgres(SqlAssetRepository.PostgresConnectionString(Require(s.Postgresql, "postgresql block")), observer)),
            ["in-memory"] = (services, _) => AddParts(services.AddSingleton<IRecordStore>(_ => new InMemoryAssetRepository())),
        };

    /// <summary>
    /// Registers the object store (<see cref="IObjectStore"/>, <see cref="IBucketSet"/> when its buckets must pre-exist,
    /// <see cref="ILocalObjectFiles"/> for files on this machine) and the record store — each of its parts on its own
    /// (<see cref="IAssetRecords"/>, <see cref="IDeletionOutboxRecords"/>, <see cref="IVariantUseRecords"/>,
    /// <see cref="IReferencedObjects"/>, <see cref="IRecordStoreHealth"/>, <see cref="IStoredBytesRecords"/>) — plus their <see cref="IStorageStartupTask"/>s. A SQL
    /// record store reports its statements to an <see cref="ISqlStatementObserver"/> when one is registered. When an
    /// <see cref="IStorageObserver"/> is registered, both stores report every operation's outcome and duration to it.
    /// </summary>
    public static IServiceCollection AddDirektStorage(this IServiceCollection services, StorageSettings settings)
    {
        Provider(ObjectStores, "object-store", settings.Objects.Provider)(services, settings.Objects);
        Observed<IObjectStore>(services, (store, observer) => new ObservedObjectStore(store, observer, settings.Objects.Provider));
        // Only the store itself reads in place; a wrapper registered over it (tests inject faults so) falls back to copies.
        services.AddSingleton(provider => provider.GetRequiredService<IObjectStore>() as ILocalObjectFiles ?? NoLocalObjectFiles.Instance);
        Provider(RecordStores, "data-store", settings.Records.Provider)(services, settings.Records);
        Observed<IRecordStore>(services, (store, observer) => new ObservedRecordStore(store, observer, settings.Records.Provider));
        return services;
    }

    // With an IStorageObserver registered (the host's metrics), the provider's store is wrapped so every call is reported.
    private static void Observed<T>(IServiceCollection services, Func<T, IStorageObserver, T> wrap) where T : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(T));
        var create = registered.ImplementationFactory ?? throw new InvalidOperationException($"{typeof(T).Name} must be registered by a factory");
        services.Remove(registered);
        services.AddSingleton<T>(provider =>
        {
            var store = (T)create(provider);
            return provider.GetService<IStorageObserver>() is { } observer ? wrap(store, observer) : store;
        });
    }

    // An ISqlStatementObserver registered by the host (tests count statements with one) sees every statement.
    private static void AddSql(IServiceCollection services, Func<ISqlStatementObserver?, SqlAssetRepository> create)
    {
        services.AddSingleton(provider => create(provider.GetService<ISqlStatementObserver>()));
        services.AddSingleton<IRecordStore>(provider => provider.GetRequiredService<SqlAssetRepository>());
        services.AddSingleton<IStorageStartupTask>(provider => new SqlSchemaMigration(provider.GetRequiredService<SqlAssetRepository>()));
        AddParts(services);
    }

    private static void AddParts(IServiceCollection services)
    {
        services.AddSingleton<IAssetRecords>(provider => provider.GetRequiredService<IRecordStore>());
        services.AddSingleton<IDeletionOutboxRecords>(provider => provider.GetRequiredService<IRecordStore>());
        services.AddSingleton<IVariantUseRecords>(provider => provider.GetRequiredService<IRecordStore>());
        services.AddSingleton<IReferencedObjects>(provider => provider.GetRequiredService<IRecordStore>());
        services.AddSingleton<IRecordStoreHealth>(provider => provider.GetRequiredService<IRecordStore>());
        services.AddSingleton<IStoredBytesRecords>(provider => provider.GetRequiredService<IRecordStore>());
        services.AddSingleton<Records.Jobs.IJobRecords>(provider => provider.GetRequiredService<IRecordStore>());
        services.AddSingleton<Records.Jobs.IAssetPages>(provider => provider.GetRequiredService<IRecordStore>());
    }


    private static T Provider<T>(IReadOnlyDictionary<string, T> providers, string key, string name) =>
        providers.TryGetValue(name, out var provider) ? provider
            : throw new ArgumentException($"{key}.provider = {name} is not available (known: {string.Join(", ", providers.Keys)})");

    private static T Require<T>(T? value, string what) where T : class =>
        value ?? throw new ArgumentException($"storage settings: the {what} is missing");
}
