using System.Net;
using System.Text.Json;
using Direkt.Tests.Support;

namespace Direkt.Client.Tests;

/// <summary>The client against a real Direkt server over HTTP, with URL signing and API keys on.</summary>
public sealed class ServerTests : IAsyncLifetime
{
    private const string SigningKey = "dotnet-client-signing-secret";
    private const string ApiKey = "dotnet-client-api-key-0123456789";
    private const string TokenKey = "dotnet-client-upload-token-secret-0123456789";
    private DirektTestServer _server = null!;
    private DirektClient _direkt = null!;
    private readonly HttpClient _http = new();
    private static readonly byte[] Avatar = File.ReadAllBytes(RepositoryRoot.File("tests/fixtures/avatar.jpg"));

    public async Task InitializeAsync()
    {
        var port = LoopbackPorts.Free();
        _server = await DirektTestServer.StartAsync($$"""
            http.port = {{port}}
            http.public-url = "http://127.0.0.1:{{port}}"
            url-signing { enabled = true, secret-key = "{{SigningKey}}" }
            auth.api-keys = ["{{ApiKey}}"]
            auth.upload-tokens.secret-key = "{{TokenKey}}"
            paths { "/**" { image.lqip = [blurhash, thumbhash] } }
            """);
        _direkt = new DirektClient(_http, new DirektClientOptions { BaseUrl = _server.Client.BaseAddress!, SigningKey = SigningKey, ApiKey = ApiKey });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_transformation_parameter_of_the_server_is_in_the_client_and_no_other()
    {
        var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri(_server.Client.BaseAddress!, "/openapi/v1.json"))).RootElement;
        var serverNames = document.GetProperty("paths").GetProperty("/assets/{rest}").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Except(["limit", "s"]).ToList();
        var clientNames = Transformation.Parameters.Select(p => p.Name).ToList();

        serverNames.Should().Contain(["w", "format"]);
        clientNames.Should().Contain(serverNames, "a parameter the server takes must be in the client");
        clientNames.Should().BeSubsetOf(serverNames, "the client sends only parameters the server knows");
    }

    [Fact]
    public async Task Upload_with_progress_then_info_link_content_and_a_variant_through_signed_urls()
    {
        var progress = new Reports();
        var stored = await _direkt.UploadAsync("/dotnet/avatar", new MemoryStream(Avatar), "avatar.jpg",
            new AssetMetadata("Ada", new Dictionary<string, string> { ["k"] = "v" }, ["t"]), progress: progress);

        stored.Path.Should().Be("/dotnet/avatar");
        stored.Alt.Should().Be("Ada");
        progress.Values.Should().NotBeEmpty().And.BeInAscendingOrder();
        progress.Values[^1].Should().Be(Avatar.Length);

        var info = await _direkt.InfoAsync("/dotnet/avatar", Selector.Entry(stored.EntryId));
        info.Labels.Should().Equal(new Dictionary<string, string> { ["k"] = "v" });
        info.Variants[0].Attributes.Format.Should().Be("jpg");
        info.Variants[0].Lqip!.Blurhash.Should().HaveLength(28);

        (await _http.GetByteArrayAsync(_direkt.Url("/dotnet/avatar"))).Should().Equal(Avatar);
        using var variant = await _http.GetAsync(_direkt.Url("/dotnet/avatar", new Transformation { W = 40, Format = "png" }));
        variant.StatusCode.Should().Be(HttpStatusCode.OK);
        variant.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        var png = await variant.Content.ReadAsByteArrayAsync();
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)).Should().Be(40, "the IHDR width");

        var link = await _direkt.LinkAsync("/dotnet/avatar", new Transformation { W = 20 });
        link.Alt.Should().Be("Ada");
        (await _http.GetAsync(link.Url)).StatusCode.Should().Be(HttpStatusCode.OK, link.Url);
    }

    [Fact]
    public async Task Problems_arrive_as_exceptions_with_their_type()
    {
        await _direkt.UploadAsync("/dotnet/guarded", new MemoryStream(Avatar), "a.jpg");
        var unsigned = new DirektClient(_http, new DirektClientOptions { BaseUrl = _server.Client.BaseAddress! });

        var forbidden = await FluentActions.Awaiting(() => unsigned.InfoAsync("/dotnet/guarded")).Should().ThrowAsync<DirektException>();
        forbidden.Which.Status.Should().Be(403);
        forbidden.Which.Type.Should().Be("urn:direkt:problem:forbidden");
        var unauthorized = await FluentActions.Awaiting(() => unsigned.UploadAsync("/dotnet/x", new MemoryStream(Avatar), "a.jpg"))
            .Should().ThrowAsync<DirektException>();
        unauthorized.Which.Status.Should().Be(401);
        var bad = await FluentActions.Awaiting(() => _direkt.LinkAsync("/dotnet/guarded", new Transformation { W = 0 })).Should().ThrowAsync<DirektException>();
        bad.Which.Status.Should().Be(400);
        bad.Which.Errors.Should().ContainKey("w");
    }

    [Fact]
    public async Task Update_replaces_the_metadata_and_delete_removes_the_entry()
    {
        var stored = await _direkt.UploadAsync("/dotnet/changing", new MemoryStream(Avatar), "a.jpg", new AssetMetadata("before"));

        var updated = await _direkt.UpdateAsync("/dotnet/changing", stored.EntryId, new AssetMetadata("after", Tags: ["x"]));
        updated.Alt.Should().Be("after");
        updated.ModifiedAt.Should().BeAfter(stored.ModifiedAt);
        await _direkt.DeleteAsync("/dotnet/changing", stored.EntryId);
        var gone = await FluentActions.Awaiting(() => _direkt.InfoAsync("/dotnet/changing")).Should().ThrowAsync<DirektException>();
        gone.Which.Status.Should().Be(404);
    }

    [Fact]
    public async Task Upload_tokens_minted_by_the_client_or_the_server_allow_uploads_below_their_path_only()
    {
        var browser = new DirektClient(_http, new DirektClientOptions { BaseUrl = _server.Client.BaseAddress!, SigningKey = SigningKey });
        var token = UploadTokens.Mint(TokenKey, "/dotnet/tokens/**", TimeSpan.FromMinutes(1), maxBytes: 100_000, types: ["image/jpeg"]);

        (await browser.UploadAsync("/dotnet/tokens/a", new MemoryStream(Avatar), "a.jpg", token: token)).Path.Should().Be("/dotnet/tokens/a");
        var outside = await FluentActions.Awaiting(() => browser.UploadAsync("/dotnet/other", new MemoryStream(Avatar), "a.jpg", token: token))
            .Should().ThrowAsync<DirektException>();
        outside.Which.Status.Should().Be(403);
        var pngOnly = UploadTokens.Mint(TokenKey, "/dotnet/tokens/**", TimeSpan.FromMinutes(1), types: ["image/png"]);
        (await FluentActions.Awaiting(() => browser.UploadAsync("/dotnet/tokens/b", new MemoryStream(Avatar), "a.jpg", token: pngOnly))
            .Should().ThrowAsync<DirektException>()).Which.Status.Should().Be(415);
        var expired = UploadTokens.Mint(TokenKey, "/dotnet/tokens/**", TimeSpan.FromSeconds(1), now: DateTimeOffset.UtcNow.AddHours(-1));
        (await FluentActions.Awaiting(() => browser.UploadAsync("/dotnet/tokens/c", new MemoryStream(Avatar), "a.jpg", token: expired))
            .Should().ThrowAsync<DirektException>()).Which.Status.Should().Be(401);

        var issued = await _direkt.CreateUploadTokenAsync("/dotnet/issued", TimeSpan.FromMinutes(2));
        issued.ExpiresAt.Should().BeAfter(DateTimeOffset.UtcNow);
        (await browser.UploadAsync("/dotnet/issued", new MemoryStream(Avatar), "a.jpg", token: issued.Token)).Path.Should().Be("/dotnet/issued");
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Reports : IProgress<long>
    {
        public List<long> Values { get; } = [];
        public void Report(long value)
        {
            lock (Values) Values.Add(value);
        }
    }
}
