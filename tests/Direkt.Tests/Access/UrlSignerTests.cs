using Direkt.Http.Access;

namespace Direkt.Tests.Access;

/// <summary>API.md §7. Expected signatures were computed independently with openssl (`openssl dgst -hmac`), not with our code.</summary>
public sealed class UrlSignerTests
{
    [Fact]
    public void The_payload_is_the_path_then_the_parameters_sorted_by_key_then_value_without_s()
    {
        UrlSigner.Payload("/assets/a/-/content", "w=10&format=webp").Should().Be("/assets/a/-/content?format=webp&w=10");
        UrlSigner.Payload("/assets/a/-/content", "s=abc&w=10&format=webp").Should().Be("/assets/a/-/content?format=webp&w=10");
        UrlSigner.Payload("/assets/a", "tag=b&tag=a&label%3Alimit=x").Should().Be("/assets/a?label%3Alimit=x&tag=a&tag=b");
        UrlSigner.Payload("/assets/a", null).Should().Be("/assets/a");
        UrlSigner.Payload("/assets/a", "s=only").Should().Be("/assets/a", "without parameters besides s there is no '?'");
    }

    [Theory]
    // printf '%s' '/assets/a/-/content?format=webp&w=10' | openssl dgst -sha256 -hmac k -binary | base64 | tr '+/' '-_' | tr -d '='
    [InlineData("k", "hmac_sha256", "/assets/a/-/content", "w=10&format=webp", "65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE")]
    [InlineData("k", "hmac_sha512", "/assets/a/-/content", "w=10&format=webp",
        "B9tltn0xzAXYZRIW7qPlyOsrK33hTHsCmpXBKORicGtOWYYKOxSkFRK4pyAPcbK7Qc7eUXRXm84swphp73V0jg")]
    [InlineData("another secret", "hmac_sha384", "/assets/users/1/avatar/-/content", null,
        "vFvj8XQOTUihzi78HirtRYTcMxp_ysOIUINbim9jyLdTm59JvSBFKFZAZEbslq11")]
    public void Signatures_match_independently_computed_vectors(string secret, string algorithm, string path, string? query, string expected)
    {
        new UrlSigner(secret, algorithm).Signature(path, query).Should().Be(expected);
    }

    [Fact]
    public void Sign_appends_s_and_verify_accepts_exactly_that_url()
    {
        var signer = new UrlSigner("k", "hmac_sha256");

        signer.Sign("/assets/a/-/content?w=10&format=webp").Should()
            .Be("/assets/a/-/content?w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE");
        signer.Sign("http://cdn.example.com/assets/a").Should().StartWith("http://cdn.example.com/assets/a?s=");
        signer.Verify("/assets/a/-/content", "w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE").Should().BeTrue();
        signer.Verify("/assets/a/-/content", "s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE&format=webp&w=10").Should().BeTrue("order is free");
    }

    [Theory]
    [InlineData("/assets/a/-/content", "w=11&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE")] // altered parameter
    [InlineData("/assets/a/-/content", "w=10&format=webp&q=1&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE")] // added parameter
    [InlineData("/assets/b/-/content", "w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE")] // other path
    [InlineData("/assets/a/-/content", "w=10&format=webp")] // missing
    [InlineData("/assets/a/-/content", "w=10&format=webp&s=")] // empty
    [InlineData("/assets/a/-/content", "w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE&s=x")] // twice
    [InlineData("/assets/a/-/content", "w=10&format=webp&s=not+base64!")] // garbage
    [InlineData("/assets/a/-/content", "w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7z")] // truncated
    public void Anything_but_the_exact_signature_is_refused(string path, string query)
    {
        new UrlSigner("k", "hmac_sha256").Verify(path, query).Should().BeFalse();
    }
}
