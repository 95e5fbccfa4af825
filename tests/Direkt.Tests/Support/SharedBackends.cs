using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Direkt.TestServices;

namespace Direkt.Tests.Support;

/// <summary>
/// One bucket on an S3 server and one PostgreSQL database, as several Direkt instances share them in production.
/// <see cref="Configuration"/> is the HOCON that points a test server at them.
/// </summary>
public sealed class SharedBackends : IAsyncDisposable
{
    private SharedBackends(TestBuckets buckets, string bucket, TestDatabase database, string endpoint)
    {
        Buckets = buckets;
        Bucket = bucket;
        Database = database;
        Endpoint = endpoint;
    }

    public TestBuckets Buckets { get; }
    public string Bucket { get; }
    public TestDatabase Database { get; }
    public string Endpoint { get; }

    public static async Task<SharedBackends> CreateAsync(string? s3Endpoint = null)
    {
        var endpoint = s3Endpoint ?? TestEnvironment.S3Endpoint;
        var buckets = new TestBuckets(endpoint);
        var bucket = await buckets.CreateAsync("scale");
        return new SharedBackends(buckets, bucket, await TestDatabase.CreateAsync(), endpoint);
    }

    public string Configuration => $$"""
        object-store {
          provider = s3
          s3 { endpoint-url = "{{Endpoint}}", access-key = {{TestEnvironment.S3AccessKey}}, secret-key = {{TestEnvironment.S3SecretKey}},
               force-path-style = true, chunked-encoding = false }
        }
        data-store {
          provider = postgresql
          postgresql { host = "{{Database.Host}}", port = {{Database.Port}}, database = {{Database.Name}}, user = {{Database.User}},
                       ssl-mode = disable, pool-size = 10 }
        }
        paths { "/**" { object-store.bucket = {{Bucket}} } }
        """;

    /// <summary>A store client with the settings <see cref="Configuration"/> gives Direkt, for wrapping in fault injection.</summary>
    public S3ObjectStore NewObjectStore() => new(new S3StoreSettings
    {
        EndpointUrl = Endpoint, AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey,
        ForcePathStyle = true, ChunkedEncoding = false, Buckets = [Bucket],
    });

    /// <summary>Every asset record at <paramref name="path"/>, read straight from the shared database.</summary>
    public async Task<IReadOnlyList<AssetRecord>> RecordsAsync(string path)
    {
        await using var repository = Direkt.Storage.Records.Sql.SqlAssetRepository.Postgres(Database.ConnectionString);
        return await repository.FindAsync(new AssetQuery(path, Limit: -1), default);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Buckets.Dispose();
    }
}
