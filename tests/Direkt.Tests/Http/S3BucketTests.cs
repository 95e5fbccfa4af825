using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>Per-path buckets on S3, and the start-up check that every configured bucket exists.</summary>
public sealed class S3BucketTests
{
    [Fact]
    public async Task Each_path_stores_into_the_bucket_its_policy_names()
    {
        await using var backends = await SharedBackends.CreateAsync();
        var avatars = await backends.Buckets.CreateAsync("avatars");
        await using var server = await DirektTestServer.StartAsync(backends.Configuration + $$"""

            paths { "/avatars/**" { object-store.bucket = {{avatars}} } }
            """);

        await server.Client.PostAsync("/avatars/1", TestImages.Jpeg(40, 40));
        await server.Client.PostAsync("/docs/1", TestImages.Png(40, 40));
        (await server.Client.GetAsync("/assets/avatars/1/-/content?w=20")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await backends.Buckets.KeysAsync(avatars)).Should().HaveCount(2).And.Contain(k => k.Contains("/originals/"))
            .And.Contain(k => k.Contains("/variants/"), "a variant lives beside its original");
        (await backends.Buckets.KeysAsync(backends.Bucket)).Should().ContainSingle().Which.Should().EndWith(".png");
    }

    [Fact]
    public async Task A_configured_bucket_that_does_not_exist_stops_the_start_naming_it()
    {
        await using var backends = await SharedBackends.CreateAsync();

        var act = () => DirektTestServer.StartAsync(backends.Configuration + """

            paths { "/archive/**" { object-store.bucket = no-such-archive-bucket } }
            """);

        (await act.Should().ThrowAsync<StartupException>()).WithMessage("*'no-such-archive-bucket' does not exist*");
    }
}
