namespace Direkt.TestServices;

/// <summary>Where scripts/test started the servers. A test that needs one fails with a clear message when it is missing.</summary>
public static class TestEnvironment
{
    public static string S3Endpoint => Required("TESTS_S3_ENDPOINT", "an S3 server (s3rver)");
    public static string S3rverScript => Required("TESTS_S3RVER", "the s3rver script");
    public static string PostgresAdmin => Required("TESTS_POSTGRES", "a PostgreSQL server");
    public static string Nginx => Required("TESTS_NGINX", "nginx");
    public static string PostgresBinaries => Required("TESTS_PG_BIN", "PostgreSQL's server binaries");
    public static string PublishedServer => Required("TESTS_PUBLISHED", "the published server (dotnet publish into artifacts/publish)");

    // s3rver accepts any well-formed signature made with its default key pair.
    public const string S3AccessKey = "S3RVER";
    public const string S3SecretKey = "S3RVER";

    private static string Required(string name, string what) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: this test needs {what}. Run the tests with scripts/test, which starts the servers and sets it.");
}
