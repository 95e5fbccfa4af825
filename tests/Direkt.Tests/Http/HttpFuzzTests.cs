using System.Net;
using System.Text;
using Direkt.Tests.Support;
using Xunit.Abstractions;

namespace Direkt.Tests.Http;

/// <summary>
/// A seeded fuzz test over the whole HTTP surface: random paths, selectors, parameters, headers, metadata and mutated images
/// against one real server. Whatever a client sends, the answer is 2xx, 3xx or 4xx (or the queue-full 503 with Retry-After),
/// always a problem+json body for errors, never a stack trace. CI runs a fixed seed for a bounded number of cases; a longer
/// run: <c>TESTS_FUZZ_CASES=50000 TESTS_FUZZ_SEED=7 scripts/test --filter HttpFuzz</c> (docs/operations.md).
/// </summary>
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Parameters =
        ["w", "h", "fit", "g", "format", "q", "r", "f", "filter", "blur", "pad", "pad-c", "strip", "cs", "enlarge", "profile",
         "limit", "s", "label", "x", "W", "w[]", ""];

    private static readonly string[] Values =
        ["1", "2", "16", "64", "100", "300", "0", "-1", "8193", "99999999999", "1e3", "0x10", " 5", "5 ", "+5", "abc", "", "%00", "%FF",
         "true", "false", "fit", "fill", "crop", "stretch", "center", "entropy", "attention", "jpg", "jpeg", "png", "webp", "avif",
         "gif", "tiff", "jxl", "heic", "svg", "90", "180", "270", "auto", "h", "v", "none", "sepia", "grayscale", "black_white",
         "0.5", "150", "151", "NaN", "Infinity", "#00ff00", "#00ff0080", "%2300ff00", "#xyz", "exif", "exif,xmp", "exif,exif",
         "srgb", "p3", "origin", "thumbnail", "nope", "💥", "a%0Ab", new string('9', 400)];

    // Values each parameter accepts, so that a good share of requests gets past the parser into libvips.
    private static readonly Dictionary<string, string[]> Valid = new()
    {
        ["w"] = ["1", "7", "16", "33", "64", "100"], ["h"] = ["1", "9", "16", "40", "64"], ["fit"] = ["fit", "fill", "crop", "stretch"],
        ["g"] = ["center", "entropy", "attention"], ["format"] = ["jpg", "png", "webp", "avif", "gif", "tiff"], ["q"] = ["1", "50", "100"],
        ["r"] = ["0", "90", "180", "270", "auto"], ["f"] = ["none", "h", "v"], ["filter"] = ["none", "sepia", "grayscale", "black_white"],
        ["blur"] = ["0", "0.5", "3", "150"], ["pad"] = ["0", "1", "10"], ["pad-c"] = ["#00ff00", "#00ff0080"],
        ["strip"] = ["exif", "exif,xmp", "iptc"], ["cs"] = ["origin", "grayscale", "srgb", "p3"], ["enlarge"] = ["true", "false"],
    };

    private static readonly string[] Stored = ["fz/a", "fz/b", "fz/c", "fz/d", "fz/e"];

    private static readonly string[] Segments =
        ["fz", "a", "b", "c", "tmp", "x", "-", "..", ".", "%2E%2E", "%2F", "%00", "%0A", "%FF", "é", "日本", "a b", "a%20b", "UPPER",
         "with.dot", "_", "~", new string('s', 300), "{id}", "*", "%25"];

    private static readonly string[] Selectors =
        ["content", "info", "link", "download", "redirect", "new", "modified", "entry/0", "entry/1", "entry/-1", "entry/abc",
         "entry/99999999999999999999", "entry", "new/content", "entry/0/content", "modified/info", "entry/0/link", "bogus",
         "content/content", "entry/0/entry/0", ""];

    private static readonly string[] Accepts =
        ["image/webp", "image/avif,image/webp,*/*", "image/*;q=0", "text/html", "*/*;q=abc", "image/jxl;q=1.5", ";;;", "image/png, image/jpeg;q=0.5"];

    [Fact]
    public async Task No_request_gets_a_5xx_or_a_stack_trace()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TESTS_FUZZ_SEED"), out var s) ? s : 20261203;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("TESTS_FUZZ_CASES"), out var n) ? n : 1500;
        var random = new Random(seed);
        await using var server = await DirektTestServer.StartAsync("""
            variant-generation.job-timeout = 20s
            """);
        var seeds = new List<byte[]> { TestImages.Jpeg(64, 48), TestImages.Png(40, 30, alpha: true), TestImages.Webp(50, 20),
            TestImages.AnimatedGif(20, 16, 3), Pixels.JpegWithOrientation6(30, 20), TestImages.FiveBandTiff(24, 18),
            TestImages.CmykJpeg(30, 30) };
        foreach (var (path, bytes) in new[] { ("/fz/a", seeds[0]), ("/fz/b", seeds[1]), ("/fz/c", seeds[3]), ("/fz/d", seeds[5]), ("/fz/e", seeds[6]) })
            (await server.Client.PostAsync("/assets" + path, Uploads.Form(bytes))).StatusCode.Should().Be(HttpStatusCode.Created);

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        for (var i = 0; i < cases && DateTime.UtcNow < deadline; i++)
        {
            using var request = NextRequest(random, seeds);
            var description = $"#{i} {request.Method} {request.RequestUri}";
            HttpResponseMessage response;
            try
            {
                response = await server.Client.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{description}: connection failed: {e.Message}");
                continue;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500 && !(status == 503 && response.Headers.RetryAfter is not null && body.Contains("urn:direkt:problem:queue-full")))
                    failures.Add($"{description}: {status} {Truncate(body)}");
                else if (status >= 400 && request.Method != HttpMethod.Head && !RefusedByKestrel(request, status, body)
                         && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{description}: {status} without a problem body ({response.Content.Headers.ContentType})");
                if (body.Contains("   at ") || body.Contains("Exception"))
                    failures.Add($"{description}: {status} body shows internals: {Truncate(body)}");
            }
        }
        output.WriteLine($"seed {seed}; statuses: {string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}"))}");
        failures.Should().BeEmpty();
        statuses.Keys.Should().Contain([200, 400, 404], "the generator reaches both the happy paths and the refusals");
    }

    private static HttpRequestMessage NextRequest(Random random, List<byte[]> seeds)
    {
        var roll = random.Next(100);
        var method = roll switch
        {
            < 55 => HttpMethod.Get,
            < 63 => HttpMethod.Head,
            < 80 => HttpMethod.Post,
            < 90 => HttpMethod.Put,
            < 96 => HttpMethod.Delete,
            _ => random.Next(2) == 0 ? HttpMethod.Patch : HttpMethod.Options,
        };
        var path = NextPath(random, method);
        var request = new HttpRequestMessage(method, path + NextQuery(random));
        if (random.Next(3) == 0) request.Headers.TryAddWithoutValidation("Accept", Pick(random, Accepts));
        if (random.Next(10) == 0) request.Headers.TryAddWithoutValidation("If-None-Match", Pick(random, ["*", "\"x\"", "W/\"abc\"", "\"unterminated", "\"a\", \"b\"", ""]));
        if (random.Next(10) == 0) request.Headers.TryAddWithoutValidation("If-Modified-Since", Pick(random, ["Tue, 01 Jan 1980 00:00:00 GMT", "garbage", "Fri, 31 Dec 9999 23:59:59 GMT"]));
        if (random.Next(10) == 0) request.Headers.TryAddWithoutValidation("Range", Pick(random, ["bytes=0-0", "bytes=5-", "bytes=-3", "bytes=9-1", "bytes=0-1,4-5", "bytes=99999999-", "items=0-1", "bytes=abc"]));
        if (random.Next(15) == 0) request.Headers.TryAddWithoutValidation("Authorization", Pick(random, ["Bearer x", "Basic abc", "Bearer", ""]));
        if (method == HttpMethod.Post) request.Content = NextUpload(random, seeds);
        if (method == HttpMethod.Put || (method == HttpMethod.Patch && random.Next(2) == 0))
            request.Content = new StringContent(NextMetadata(random), Encoding.UTF8, random.Next(6) == 0 ? "text/plain" : "application/json");
        return request;
    }

    private static string NextPath(Random random, HttpMethod method)
    {
        if (random.Next(12) == 0) return Pick(random, ["/", "/health", "/ready", "/metrics", "/assets", "/assets/", "/nope", "/assets//x"]);
        var segments = new List<string>();
        if (method == HttpMethod.Get && random.Next(2) == 0)
            return $"/assets/{Pick(random, Stored)}/-/{Pick(random, ["content", "entry/0/content", "new/content", "modified/download", "link", "info", "redirect"])}";
        if (method == HttpMethod.Delete || method == HttpMethod.Post) segments.Add("fz/tmp");
        else if (random.Next(3) > 0) segments.Add(Pick(random, Stored));
        for (var i = random.Next(segments.Count == 0 ? 1 : 0, 3); i > 0; i--) segments.Add(Pick(random, Segments));
        var path = "/assets/" + string.Join('/', segments);
        if (random.Next(3) > 0) path += "/-/" + Pick(random, Selectors);
        if (random.Next(8) == 0) path += "/-/" + Pick(random, Selectors);
        if (method == HttpMethod.Delete && random.Next(4) == 0) path += "/-/recursive";
        return path;
    }

    private static string NextQuery(Random random)
    {
        var count = random.Next(4) == 0 ? 0 : random.Next(1, 6);
        if (random.Next(40) == 0) count = 60; // many label filters
        var parts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = count > 20 ? $"k{i}" : Pick(random, Parameters);
            var value = Valid.TryGetValue(name, out var valid) && random.Next(3) > 0 ? Pick(random, valid) : Pick(random, Values);
            parts.Add(random.Next(15) == 0 ? name : $"{name}={value}");
        }
        // Keep sizes that a small upload can take without enlarging it into a huge canvas: memory is the server's business,
        // not this test's, and enlarge + huge sizes are covered by the resource tests.
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts.Select(p => p.Replace("enlarge=true", "enlarge=false")));
    }

    private static HttpContent NextUpload(Random random, List<byte[]> seeds)
    {
        if (random.Next(6) == 0)
            return new StringContent(Pick(random, ["{\"url\":\"http://127.0.0.1:1/x.jpg\"}", "{\"url\":\"file:///etc/passwd\"}", "{\"url\":5}",
                "{", "[]", "{\"url\":\"http://169.254.169.254/\"}"]), Encoding.UTF8, "application/json");
        var bytes = Mutate(random, seeds[random.Next(seeds.Count)]);
        var metadata = random.Next(3) == 0 ? NextMetadata(random) : null;
        if (random.Next(10) == 0) return new ByteArrayContent(bytes); // not multipart at all
        return Uploads.Form(bytes, metadata, fileName: Pick(random, ["a.jpg", "x", "../../x", "photo.PNG"]));
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0: return bytes;
            case 1: return bytes[..random.Next(1, bytes.Length)]; // truncated
            case 2:
                for (var i = random.Next(1, 20); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 3:
                for (var i = random.Next(1, 8); i > 0; i--) bytes[random.Next(Math.Min(64, bytes.Length))] = (byte)random.Next(256);
                return bytes; // header damage
            case 4:
            {
                var junk = new byte[random.Next(0, 64)];
                random.NextBytes(junk);
                return [.. bytes[..Math.Min(16, bytes.Length)], .. junk];
            }
            default:
            {
                var junk = new byte[random.Next(0, 200)];
                random.NextBytes(junk);
                return junk;
            }
        }
    }

    private static string NextMetadata(Random random) => random.Next(8) switch
    {
        0 => "{",
        1 => "null",
        2 => "{\"alt\": 5}",
        3 => "{\"labels\": {\"k\": \"v\\u0000\"}}",
        4 => "{\"labels\": {\"" + new string('k', 300) + "\": \"v\"}, \"tags\": [\"a\"]}",
        5 => "{\"tags\": [" + string.Join(',', Enumerable.Range(0, 80).Select(i => $"\"t{i}\"")) + "]}",
        6 => "{\"alt\": \"" + Pick(random, ["ok", "\\u0000", "é日本", new string('a', 2000)]) + "\", \"unknown\": 1}",
        _ => "{\"alt\": \"fine\", \"labels\": {\"a\": \"b\"}, \"tags\": [\"x\", \"y\"]}",
    };

    // Kestrel refuses a NUL in the request target itself, with an empty 400, before any of Direkt's code runs.
    private static bool RefusedByKestrel(HttpRequestMessage request, int status, string body) =>
        status == 400 && body.Length == 0 && request.RequestUri!.OriginalString.Contains("%00", StringComparison.Ordinal);

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
