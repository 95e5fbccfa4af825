using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Direkt.Http.Access;
using Direkt.Tests.Support;

namespace Direkt.Tests.Access;

/// <summary>Upload tokens over real HTTP (docs/api.md#upload-tokens): what they allow, and every way they are refused.</summary>
public sealed class UploadTokenTests : IAsyncLifetime
{
    public const string ApiKey = "api-key-for-token-tests-0123";
    public const string TokenKey = "upload-token-key-for-tests-0123456789abcdef";
    private static readonly UploadTokens Tokens = new(TokenKey);
    private DirektTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync($$"""
        auth.api-keys = ["{{ApiKey}}"]
        auth.upload-tokens { secret-key = "{{TokenKey}}", max-lifetime = 30m }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Mint(string sub, long? maxBytes = null, IReadOnlyList<string>? types = null, long? exp = null) =>
        Tokens.Mint(new UploadTokenClaims(sub, exp ?? Now + 600, Now, maxBytes, types));

    private Task<HttpResponseMessage> Send(HttpMethod method, string url, string? bearer, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return _server.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> Upload(string path, string? bearer, byte[]? image = null) =>
        Send(HttpMethod.Post, "/assets" + path, bearer, Uploads.Form(image ?? TestImages.Jpeg(40, 30)));

    private static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.JsonAsync();
        problem.GetProperty("type").GetString().Should().Be("urn:direkt:problem:" + type);
        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
    }

    private async Task<int> Count(string path)
    {
        var info = await _server.Client.GetAsync($"/assets{path}/-/info?limit=-1");
        return info.StatusCode == HttpStatusCode.NotFound ? 0 : (await info.JsonAsync()).GetArrayLength();
    }

    [Fact]
    public async Task A_token_uploads_within_its_path_and_its_prefix_and_replaces_the_information()
    {
        var exact = await Upload("/users/7/avatar", Mint("/users/7/avatar"));
        var belowPrefix = await Upload("/users/8/photos/1", Mint("/users/8/**", types: ["image/jpeg"], maxBytes: 100_000));
        var prefixItself = await Upload("/users/8", Mint("/users/8/**"));

        exact.StatusCode.Should().Be(HttpStatusCode.Created);
        exact.Headers.Location!.ToString().Should().Be($"{DirektTestServer.PublicUrl}/assets/users/7/avatar/-/entry/0");
        belowPrefix.StatusCode.Should().Be(HttpStatusCode.Created);
        prefixItself.StatusCode.Should().Be(HttpStatusCode.Created);
        var content = await _server.Client.GetByteArrayAsync("/assets/users/7/avatar/-/content");
        Pixels.Size(content).Should().Be((40, 30));

        var token = Mint("/users/7/avatar");
        var again = await Upload("/users/7/avatar", token);
        again.StatusCode.Should().Be(HttpStatusCode.Created, "a token is reusable until it expires: a new version at the same path");
        var put = await Send(HttpMethod.Put, "/assets/users/7/avatar/-/entry/1", token,
            new StringContent("""{"alt": "Ada"}""", Encoding.UTF8, "application/json"));
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        (await put.JsonAsync()).GetProperty("alt").GetString().Should().Be("Ada");
        (await Count("/users/7/avatar")).Should().Be(2);
    }

    [Fact]
    public async Task Bad_tokens_are_401_each_with_its_own_type()
    {
        var good = Mint("/t/a");
        var parts = good.Split('.');
        var tampered = $"{parts[0]}.{Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"sub":"/**","exp":{{Now + 600}}}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_')}.{parts[2]}";
        var none = $"{Convert.ToBase64String("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray()).TrimEnd('=')}.{parts[1]}.";
        var otherKey = new UploadTokens("another-key-that-is-long-enough-0123456789").Mint(new UploadTokenClaims("/t/a", Now + 600));

        var expired = await Upload("/t/a", Mint("/t/a", exp: Now - 120));
        await ShouldBeProblem(expired, HttpStatusCode.Unauthorized, "upload-token-expired");
        expired.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
        await ShouldBeProblem(await Upload("/t/a", tampered), HttpStatusCode.Unauthorized, "upload-token-invalid");
        await ShouldBeProblem(await Upload("/t/a", none), HttpStatusCode.Unauthorized, "upload-token-invalid");
        await ShouldBeProblem(await Upload("/t/a", otherKey), HttpStatusCode.Unauthorized, "upload-token-invalid");
        await ShouldBeProblem(await Upload("/t/a", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"), HttpStatusCode.Unauthorized, "upload-token-invalid");
        (await Count("/t/a")).Should().Be(0);
        (await Upload("/t/a", good)).StatusCode.Should().Be(HttpStatusCode.Created, "the same request with the genuine token passes");
    }

    [Fact]
    public async Task A_token_is_403_outside_its_path_and_for_anything_but_uploads()
    {
        var token = Mint("/users/9/**");
        await ShouldBeProblem(await Upload("/users/90/avatar", token), HttpStatusCode.Forbidden, "upload-token-scope");
        await ShouldBeProblem(await Upload("/users/avatar", token), HttpStatusCode.Forbidden, "upload-token-scope");
        await ShouldBeProblem(await Upload("/users/9/a/b", Mint("/users/9/a")), HttpStatusCode.Forbidden, "upload-token-scope");

        (await Upload("/users/9/a", token)).StatusCode.Should().Be(HttpStatusCode.Created);
        await ShouldBeProblem(await Send(HttpMethod.Delete, "/assets/users/9/a/-/entry/0", token), HttpStatusCode.Forbidden, "upload-token-scope");
        await ShouldBeProblem(await Send(HttpMethod.Delete, "/assets/users/9/-/recursive", token), HttpStatusCode.Forbidden, "upload-token-scope");
        await ShouldBeProblem(await Send(HttpMethod.Post, "/tokens", token, JsonContent("""{"path": "/**"}""")),
            HttpStatusCode.Forbidden, "upload-token-scope");
        await ShouldBeProblem(await Send(HttpMethod.Post, "/assets/users/9/b", token, JsonContent("""{"url": "https://example.com/a.jpg"}""")),
            HttpStatusCode.Forbidden, "upload-token-scope");
        await ShouldBeProblem(await Send(HttpMethod.Put, "/assets/users/10/a/-/entry/0", token, JsonContent("""{"alt": "x"}""")),
            HttpStatusCode.Forbidden, "upload-token-scope");
        (await Count("/users/9/a")).Should().Be(1, "the DELETEs were refused");
    }

    [Fact]
    public async Task Max_bytes_is_413_while_streaming_and_types_are_judged_from_the_sniffed_bytes()
    {
        var jpeg = TestImages.Jpeg(300, 200);
        var big = new byte[2 * 1024 * 1024];
        new Random(3).NextBytes(big);
        jpeg.CopyTo(big, 0);

        var tooLarge = await Upload("/limits/a", Mint("/limits/**", maxBytes: jpeg.Length - 1), jpeg);
        await ShouldBeProblem(tooLarge, HttpStatusCode.RequestEntityTooLarge, "upload-token-too-large");
        await ShouldBeProblem(await Upload("/limits/a", Mint("/limits/**", maxBytes: 64 * 1024), big),
            HttpStatusCode.RequestEntityTooLarge, "upload-token-too-large");
        (await Upload("/limits/a", Mint("/limits/**", maxBytes: jpeg.Length), jpeg)).StatusCode.Should().Be(HttpStatusCode.Created,
            "exactly max_bytes is allowed");

        // The part's declared type and file name say JPEG; the bytes are PNG.
        var png = TestImages.Png(20, 20);
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(png);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(part, "asset", "photo.jpg");
        var wrongType = await Send(HttpMethod.Post, "/assets/limits/b", Mint("/limits/**", types: ["image/jpeg"]), form);
        await ShouldBeProblem(wrongType, HttpStatusCode.UnsupportedMediaType, "upload-token-type");
        (await Upload("/limits/b", Mint("/limits/**", types: ["image/jpeg", "image/png"]), png)).StatusCode.Should().Be(HttpStatusCode.Created);

        (await Count("/limits/a")).Should().Be(1);
        (await Count("/limits/b")).Should().Be(1);
        _server.SpooledFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Post_tokens_needs_an_api_key_and_mints_a_token_the_server_takes()
    {
        var body = """{"path": "/minted/**", "expiresIn": 7200, "maxBytes": 1000000, "types": ["image/jpeg"]}""";
        await ShouldBeProblem(await Send(HttpMethod.Post, "/tokens", null, JsonContent(body)), HttpStatusCode.Unauthorized, "unauthorized");

        var before = DateTimeOffset.UtcNow;
        var minted = await Send(HttpMethod.Post, "/tokens", ApiKey, JsonContent(body));
        minted.StatusCode.Should().Be(HttpStatusCode.Created);
        var json = await minted.JsonAsync();
        var token = json.GetProperty("token").GetString()!;
        var expiresAt = DateTimeOffset.Parse(json.GetProperty("expiresAt").GetString()!);
        expiresAt.Should().BeCloseTo(before.AddMinutes(30), TimeSpan.FromSeconds(5), "expiresIn is capped by max-lifetime (30m here)");
        var claims = Tokens.Verify(token, DateTimeOffset.UtcNow, out _)!;
        claims.Subject.Should().Be("/minted/**");
        claims.MaxBytes.Should().Be(1_000_000);
        claims.Types.Should().Equal("image/jpeg");
        claims.ExpiresAt.Should().Be(expiresAt.ToUnixTimeSeconds());

        (await Upload("/minted/x", token)).StatusCode.Should().Be(HttpStatusCode.Created);
        await ShouldBeProblem(await Upload("/minted/y", token, TestImages.Png(4, 4)), HttpStatusCode.UnsupportedMediaType, "upload-token-type");

        var bad = await Send(HttpMethod.Post, "/tokens", ApiKey, JsonContent("""{"path": "users/1", "expiresIn": 0, "types": ["text/html"]}"""));
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("path", "expiresIn", "types");
        (await Send(HttpMethod.Post, "/tokens", ApiKey, JsonContent("""{"path": "/a", "extra": 1}"""))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Without_a_token_key_a_token_is_401_saying_tokens_are_off()
    {
        await using var server = await DirektTestServer.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/assets/off/a") { Content = Uploads.Form(TestImages.Jpeg(8, 8)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Mint("/off/a"));

        var response = await server.Client.SendAsync(request);
        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "upload-tokens-disabled");
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Contain("auth.upload-tokens.secret-key");
        (await server.Client.PostAsync("/off/a", TestImages.Jpeg(8, 8))).StatusCode.Should().Be(HttpStatusCode.Created,
            "without keys and without a token, writes stay open as before");
    }

    [Fact]
    public void Subjects_cover_their_path_or_everything_below_their_prefix()
    {
        new UploadTokenClaims("/a/b", 0).Covers("/a/b").Should().BeTrue();
        new UploadTokenClaims("/a/b", 0).Covers("/a/b/c").Should().BeFalse();
        new UploadTokenClaims("/a/b/**", 0).Covers("/a/b").Should().BeTrue();
        new UploadTokenClaims("/a/b/**", 0).Covers("/a/b/c/d").Should().BeTrue();
        new UploadTokenClaims("/a/b/**", 0).Covers("/a/bc").Should().BeFalse();
        new UploadTokenClaims("/**", 0).Covers("/x").Should().BeTrue();
        UploadTokenClaims.CheckSubject("/a/*/b").Should().NotBeNull();
        UploadTokenClaims.CheckSubject("/a/**/b").Should().NotBeNull();
        UploadTokenClaims.CheckSubject("a/b").Should().NotBeNull();
        UploadTokenClaims.CheckSubject("/a/../b").Should().NotBeNull();
        UploadTokenClaims.CheckSubject("/a/b/**").Should().BeNull();
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");
}
