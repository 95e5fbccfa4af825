using System.Text.Json;
using System.Text.Json.Serialization;
using Direkt.Assets;

namespace Direkt.Http.Assets;

/// <summary>Reads the `metadata` part of an upload strictly: known fields only, strings only, bounded depth and size.</summary>
public static class MetadataJson
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

    public static async Task<AssetMetadata> ReadAsync(Stream body, CancellationToken cancellationToken)
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
        return Parse(buffer.ToArray());
    }

    public static AssetMetadata Parse(ReadOnlySpan<byte> json)
    {
        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<Dto>(json, Options);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
            var message = $"metadata is not valid JSON of the expected shape{where} (alt: string, labels: object of strings, tags: array of strings)";
            throw AssetException.BadRequest(message + ".", Error("metadata", message));
        }
        if (dto is null) throw AssetException.BadRequest("metadata must be a JSON object.", Error("metadata", "must be a JSON object"));
        if (dto.Tags?.Any(t => t is null) == true || dto.Labels?.Values.Any(v => v is null) == true)
            throw AssetException.BadRequest("metadata labels and tags must be strings.", Error("metadata", "null is not a label value or tag"));
        return new AssetMetadata(dto.Alt, dto.Labels ?? new Dictionary<string, string>(), dto.Tags ?? []);
    }

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };
}
