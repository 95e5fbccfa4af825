using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Direkt.Tests.Support;

namespace Direkt.Client.Tests;

/// <summary>The .NET example of docs/clients.md is the body of <see cref="RunExampleAsync"/>, character for character, and runs.</summary>
public sealed class ClientExampleTests
{
    [Fact]
    public void The_documented_example_is_this_code()
    {
        var page = File.ReadAllText(RepositoryRoot.File("docs/clients.md")).ReplaceLineEndings("\n");
        var documented = Regex.Match(page, "<!-- example: dotnet -->\n```csharp\n([\\s\\S]*?)\n```").Groups[1].Value;
        var source = File.ReadAllText(ThisFile()).ReplaceLineEndings("\n");
        var code = Regex.Match(source, "// example-start\n([\\s\\S]*?)\n\\s*// example-end").Groups[1].Value;
        var lines = code.Split('\n').Select(l => l.StartsWith("        ", StringComparison.Ordinal) ? l[8..] : l);

        documented.Should().NotBeEmpty();
        string.Join('\n', lines).Should().Be(documented);
        documented.Split('\n').Length.Should().BeLessThanOrEqualTo(10);
    }

    [Fact]
    public async Task The_documented_example_runs_against_a_real_server()
    {
        var port = LoopbackPorts.Free();
        await using var server = await DirektTestServer.StartAsync($$"""
            http.port = {{port}}
            http.public-url = "http://127.0.0.1:{{port}}"
            url-signing { enabled = true, secret-key = "example-signing-key" }
            auth.api-keys = ["example-api-key-0123456789"]
            """);
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(RepositoryRoot.Path);
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            await RunExampleAsync(server.Client.BaseAddress!, "example-signing-key", "example-api-key-0123456789", "upload-token-key");
        }
        finally
        {
            Console.SetOut(console);
            Directory.SetCurrentDirectory(previous);
        }

        // Console.Out is global: a server another test starts meanwhile logs into it too, so take the example's own line.
        var words = output.ToString().Split('\n').Single(l => l.Contains(" px, ", StringComparison.Ordinal)).Trim().Split(", ");
        words[0].Should().Be("320 px");
        using var http = new HttpClient();
        (await http.GetAsync(words[1])).StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "the link is signed by the server");
        var webp = await http.GetAsync(words[2]);
        webp.Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
        words[3].Should().Contain("format=avif").And.EndWith("320w");
        words[^1].Split('.').Should().HaveCount(3);
    }

    private static async Task RunExampleAsync(Uri baseUrl, string signingKey, string apiKey, string uploadTokenKey)
    {
        // example-start
        var direkt = new DirektClient(new HttpClient(), new DirektClientOptions { BaseUrl = baseUrl, SigningKey = signingKey, ApiKey = apiKey });
        await using var file = File.OpenRead("tests/fixtures/avatar.jpg");
        var stored = await direkt.UploadAsync("/users/123/avatar", file, "avatar.jpg", new AssetMetadata("Ada Lovelace"));
        var info = await direkt.InfoAsync("/users/123/avatar", Selector.Entry(stored.EntryId));
        var link = await direkt.LinkAsync("/users/123/avatar", new Transformation { W = 256, H = 256, Fit = "crop" });
        var webp = direkt.Url("/users/123/avatar", new Transformation { W = 256, Format = "webp" });
        var srcset = direkt.Srcset("/users/123/avatar", [320, 640, 960], new Transformation { Format = "avif" });
        var token = UploadTokens.Mint(uploadTokenKey, "/users/123/**", TimeSpan.FromMinutes(10), maxBytes: 5_000_000);
        Console.WriteLine($"{info.Variants[0].Attributes.Width} px, {link.Url}, {webp}, {srcset}, {token}");
        // example-end
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
