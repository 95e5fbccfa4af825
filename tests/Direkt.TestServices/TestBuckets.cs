using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Direkt.TestServices;

/// <summary>Creates uniquely named buckets on an S3 server and looks inside them, with the same client settings Direkt uses.</summary>
public sealed class TestBuckets(string endpoint) : IDisposable
{
    private readonly AmazonS3Client _client = new(new BasicAWSCredentials(TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey),
        new AmazonS3Config
        {
            ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    public TestBuckets() : this(TestEnvironment.S3Endpoint) { }

    public AmazonS3Client Client => _client;

    /// <summary>A new bucket named <paramref name="prefix"/> plus a random suffix (S3 names: lower case, ≤ 63 characters).</summary>
    public async Task<string> CreateAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await _client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    public async Task<List<string>> KeysAsync(string bucket, string prefix = "")
    {
        var response = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    public void Dispose() => _client.Dispose();
}
