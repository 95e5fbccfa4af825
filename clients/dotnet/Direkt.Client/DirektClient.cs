using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Direkt.Client;

/// <summary>Which asset of a path: the newest created (default), the most recently modified, or one entry.</summary>
public readonly record struct Selector(string Text)
{
    public static Selector New { get; } = new("new");
    public static Selector Modified { get; } = new("modified");
    public static Selector Entry(long id) => new($"entry/{id}");
}

/// <summary>content (the bytes), download (as an attachment), redirect, info or link.</summary>
public enum ReturnFormat { Content, Download, Redirect, Info, Link }

public sealed class DirektClientOptions
{
    /// <summary>The server's public URL ("https://img.example.com").</summary>
    public required Uri BaseUrl { get; init; }
    /// <summary>url-signing.secret-key: every URL the client builds is signed.</summary>
    public string? SigningKey { get; init; }
    public string SigningAlgorithm { get; init; } = "hmac_sha256";
    /// <summary>An API key of auth.api-keys, for uploads, updates, deletes and POST /tokens.</summary>
    public string? ApiKey { get; init; }
}

/// <summary>Direkt's HTTP API: URLs (signed when a key is given), srcsets, uploads, asset information, links, upload tokens.</summary>
public sealed class DirektClient
{
    private readonly HttpClient _http;
    private readonly DirektClientOptions _options;
    private readonly UrlSigning? _signing;
    private readonly string _base;

    public DirektClient(HttpClient http, DirektClientOptions options)
    {
        _http = http;
        _options = options;
        _base = options.BaseUrl.ToString().TrimEnd('/');
        _signing = options.SigningKey is { Length: > 0 } key ? new UrlSigning(key, options.SigningAlgorithm) : null;
    }

    /// <summary>The URL of an asset or variant: <c>Url("/users/1/avatar", new() { W = 300, Format = "webp" })</c>.</summary>
    public string Url(string path, Transformation? transformation = null, ReturnFormat how = ReturnFormat.Content, Selector? selector = null)
    {
        var query = transformation?.ToQuery() ?? "";
        var url = _base + AssetPath(path, how, selector ?? Selector.New) + (query.Length > 0 ? "?" + query : "");
        return _signing?.Sign(url) ?? url;
    }

    /// <summary>A srcset with one width descriptor per width ("…?w=320 320w, …").</summary>
    public string Srcset(string path, IEnumerable<int> widths, Transformation? transformation = null) =>
        string.Join(", ", widths.Distinct().OrderBy(w => w)
            .Select(w => $"{Url(path, (transformation ?? new Transformation()) with { W = w })} {w}w"));

    public Task<AssetInfo> InfoAsync(string path, Selector? selector = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync<AssetInfo>(Url(path, null, ReturnFormat.Info, selector), cancellationToken);

    public Task<AssetLink> LinkAsync(string path, Transformation? transformation = null, Selector? selector = null,
        CancellationToken cancellationToken = default) =>
        GetJsonAsync<AssetLink>(Url(path, transformation, ReturnFormat.Link, selector), cancellationToken);

    /// <summary>Stores an image at a path (multipart POST) with an upload token, or the API key; progress counts bytes sent.</summary>
    public async Task<AssetInfo> UploadAsync(string path, Stream image, string fileName, AssetMetadata? metadata = null, string? token = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        using var form = new MultipartFormDataContent();
        if (metadata is not null)
            form.Add(new StringContent(System.Text.Json.JsonSerializer.Serialize(metadata, Json.Options), Encoding.UTF8, "application/json"), "metadata");
        var asset = new ProgressContent(image, progress);
        asset.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(asset, "asset", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + "/assets" + CheckPath(path)) { Content = form };
        Authorize(request, token ?? _options.ApiKey);
        return await SendAsync<AssetInfo>(request, cancellationToken);
    }

    /// <summary>Replaces alt, labels and tags of one entry (PUT …/-/entry/{id}).</summary>
    public async Task<AssetInfo> UpdateAsync(string path, long entryId, AssetMetadata metadata, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{_base}/assets{CheckPath(path)}/-/entry/{entryId}")
        {
            Content = JsonContent.Create(metadata, options: Json.Options),
        };
        Authorize(request, _options.ApiKey);
        return await SendAsync<AssetInfo>(request, cancellationToken);
    }

    /// <summary>Deletes one entry (DELETE …/-/entry/{id}); idempotent.</summary>
    public async Task DeleteAsync(string path, long entryId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{_base}/assets{CheckPath(path)}/-/entry/{entryId}");
        Authorize(request, _options.ApiKey);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw DirektException.From((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Asks the server for an upload token (POST /tokens, API key): for back ends that do not hold the token secret.</summary>
    public async Task<IssuedUploadToken> CreateUploadTokenAsync(string path, TimeSpan? expiresIn = null, long? maxBytes = null,
        IReadOnlyList<string>? types = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + "/tokens")
        {
            Content = JsonContent.Create(new { path, expiresIn = (long?)expiresIn?.TotalSeconds, maxBytes, types }, options: Json.Options),
        };
        Authorize(request, _options.ApiKey);
        return await SendAsync<IssuedUploadToken>(request, cancellationToken);
    }

    /// <summary>The path of an asset URL: <c>/assets{path}/-/{selector}/{how}</c>.</summary>
    public static string AssetPath(string path, ReturnFormat how, Selector selector)
    {
        CheckPath(path);
        if (selector == Selector.New && how == ReturnFormat.Link) return "/assets" + path;
        return $"/assets{path}/-/{selector.Text}/{how.ToString().ToLowerInvariant()}";
    }

    private static string CheckPath(string path)
    {
        var segments = path.Split('/');
        if (!path.StartsWith('/') || segments.Length < 2 || segments.Length > 33 || path.Length > 1024
            || segments.Skip(1).Any(s => s.Length is 0 or > 128 || s is "." or ".." or "-" || s.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '~' or '-'))))
            throw new ArgumentException($"'{path}' is not a Direkt asset path (segments of A–Z a–z 0–9 _ . ~ -, starting with /)", nameof(path));
        return path;
    }

    private static void Authorize(HttpRequestMessage request, string? bearer)
    {
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    }

    private async Task<T> GetJsonAsync<T>(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync<T>(request, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw DirektException.From((int)response.StatusCode, body);
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json.Options)
            ?? throw new DirektException((int)response.StatusCode, "", "Empty answer", body, null);
    }
}
