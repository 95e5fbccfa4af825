using System.Text.Json;
using System.Text.Json.Serialization;
using Direkt.Assets;

namespace Direkt.Http.Assets;

/// <summary>Reads the `metadata` part of an upload strictly: known fields only, strings only, bounded depth and size.</summary>
internal static class MetadataJson
{
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 4,
    };

    private sealed record Dto(string? Alt, Dictionary<string, string>? Labels, List<string>? Tags);
    private sealed record UrlSourceDto(string? Url, string? Alt, Dictionary<string, string>? Labels, List<string>? Tags);

    /// <summary>The JSON body of a URL-source POST: `url` plus the same metadata fields.</summary>
    public static async Task<(string Url, AssetMetadata Metadata)> ReadUrlSourceAsync(Stream body, CancellationToken cancellationToken)
    {
        var bytes = await ReadBoundedAsync(body, cancellationToken);
        var dto = Deserialize<UrlSourceDto>(bytes, "body", "url: string, alt: string, labels: object of strings, tags: array of strings");
        if (dto?.Url is not { Length: > 0 } url) throw AssetException.BadRequest("The body needs \"url\".", Error("url", "is required"));
        return (url, Parse(JsonSerializer.SerializeToUtf8Bytes(new Dto(dto.Alt, dto.Labels, dto.Tags), Options)));
    }

    public static async Task<AssetMetadata> ReadAsync(Stream body, CancellationToken cancellationToken) =>
        Parse(await ReadBoundedAsync(body, cancellationToken));

    private static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw AssetException.BadRequest($"The metadata part is larger than {MaxBytes} bytes.", Error("metadata", "too large"));
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static AssetMetadata Parse(ReadOnlySpan<byte> json)
    {
        var dto = Deserialize<Dto>(json, "metadata", "alt: string, labels: object of strings, tags: array of strings");
        if (dto is null) throw AssetException.BadRequest("metadata must be a JSON object.", Error("metadata", "must be a JSON object"));
        if (dto.Tags?.Any(t => t is null) == true || dto.Labels?.Values.Any(v => v is null) == true)
            throw AssetException.BadRequest("metadata labels and tags must be strings.", Error("metadata", "null is not a label value or tag"));
        return new AssetMetadata(dto.Alt, dto.Labels ?? new Dictionary<string, string>(), dto.Tags ?? []);
    }

    private static T? Deserialize<T>(ReadOnlySpan<byte> json, string field, string shape)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
            var message = $"{(field == "body" ? "the body" : field)} is not valid JSON of the expected shape{where} ({shape})";
            throw AssetException.BadRequest(message + ".", Error(field, message));
        }
    }

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };
}
