using System.Text;
using System.Text.Json;
using Direkt.Http.Access;

namespace Direkt.Tests.Access;

/// <summary>
/// The shared vectors in tests/vectors (computed with Node's crypto by make-vectors.mjs, not by this code): the server mints and
/// verifies upload tokens and signs URLs exactly as the client libraries must.
/// </summary>
public sealed class VectorTests
{
    private static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File($"tests/vectors/{name}"))).RootElement.Clone();

    private static UploadTokenClaims Claims(JsonElement c) => new(
        c.GetProperty("sub").GetString()!,
        c.GetProperty("exp").GetInt64(),
        c.TryGetProperty("iat", out var iat) ? iat.GetInt64() : null,
        c.TryGetProperty("max_bytes", out var max) ? max.GetInt64() : null,
        c.TryGetProperty("types", out var types) ? types.EnumerateArray().Select(t => t.GetString()!).ToList() : null);

    [Fact]
    public void Upload_tokens_are_minted_byte_for_byte_and_verified_as_the_vectors_say()
    {
        var valid = Load("upload-tokens.json").GetProperty("valid").EnumerateArray().ToList();
        valid.Should().HaveCountGreaterThanOrEqualTo(5);
        foreach (var vector in valid)
        {
            var name = vector.GetProperty("name").GetString();
            var tokens = new UploadTokens(vector.GetProperty("key").GetString()!);
            var claims = Claims(vector.GetProperty("claims"));
            Encoding.UTF8.GetString(UploadTokens.Payload(claims)).Should().Be(vector.GetProperty("payload").GetString(), name);
            tokens.Mint(claims).Should().Be(vector.GetProperty("token").GetString(), name);

            var now = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("now").GetInt64());
            var verified = tokens.Verify(vector.GetProperty("token").GetString()!, now, out _);
            verified.Should().NotBeNull(name);
            verified!.Subject.Should().Be(claims.Subject);
            verified.ExpiresAt.Should().Be(claims.ExpiresAt);
            verified.MaxBytes.Should().Be(claims.MaxBytes);
            (verified.Types ?? []).Should().Equal(claims.Types ?? []);
        }
    }

    [Fact]
    public void Invalid_tokens_are_refused_for_the_reason_the_vectors_give()
    {
        var invalid = Load("upload-tokens.json").GetProperty("invalid").EnumerateArray().ToList();
        invalid.Select(v => v.GetProperty("reason").GetString()).Distinct().Should().BeEquivalentTo("signature", "algorithm", "expired", "malformed");
        foreach (var vector in invalid)
        {
            var tokens = new UploadTokens(vector.GetProperty("key").GetString()!);
            var now = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("now").GetInt64());
            tokens.Verify(vector.GetProperty("token").GetString()!, now, out var failure).Should().BeNull(vector.GetProperty("name").GetString());
            failure.ToString().ToLowerInvariant().Should().Be(vector.GetProperty("reason").GetString(), vector.GetProperty("name").GetString());
        }
    }

    [Fact]
    public void Url_signatures_match_the_vectors()
    {
        var vectors = Load("url-signing.json").GetProperty("vectors").EnumerateArray().ToList();
        vectors.Should().HaveCountGreaterThanOrEqualTo(8);
        foreach (var vector in vectors)
        {
            var path = vector.GetProperty("path").GetString()!;
            var query = vector.GetProperty("query").GetString();
            var signer = new UrlSigner(vector.GetProperty("secret").GetString()!, vector.GetProperty("algorithm").GetString()!);
            var target = query is null ? path : $"{path}?{query}";

            UrlSigner.Payload(path, query).Should().Be(vector.GetProperty("payload").GetString(), target);
            signer.Signature(path, query).Should().Be(vector.GetProperty("signature").GetString(), target);
            signer.Sign(target).Should().Be(vector.GetProperty("signed").GetString(), target);
            var (signedPath, signedQuery) = UrlSigner.Split(vector.GetProperty("signed").GetString()!);
            signer.Verify(signedPath, signedQuery).Should().BeTrue(target);
        }
    }
}
