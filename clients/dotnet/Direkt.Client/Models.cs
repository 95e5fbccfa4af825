using System.Text.Json;
using System.Text.Json.Serialization;

namespace Direkt.Client;

/// <summary>Placeholders of a variant (BlurHash, ThumbHash as standard Base64 without padding).</summary>
public sealed record Lqip(string? Blurhash, string? Thumbhash);

/// <summary>A link answer: the content URL (signed when the server signs), alt and the original's placeholders.</summary>
public sealed record AssetLink(string Url, string? Alt, Lqip? Lqip);

public sealed record VariantAttributes(int Width, int Height, string Format, int PageCount, int Loop, string ColorSpace, long Bytes);

public sealed record VariantInfo(bool IsOriginalVariant, IReadOnlyDictionary<string, string>? Transformation, string StoreBucket,
    string StoreKey, VariantAttributes Attributes, Lqip? Lqip);

/// <summary>The asset information (<c>/-/info</c>, and the answer of an upload or update).</summary>
public sealed record AssetInfo(
    [property: JsonPropertyName("class")] string Class,
    string Path,
    long EntryId,
    string? Alt,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Tags,
    string Source,
    string? SourceUrl,
    IReadOnlyList<VariantInfo> Variants,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt);

/// <summary>Upload and update metadata.</summary>
public sealed record AssetMetadata(string? Alt = null, IReadOnlyDictionary<string, string>? Labels = null, IReadOnlyList<string>? Tags = null);

/// <summary>An upload token the server minted (POST /tokens).</summary>
public sealed record IssuedUploadToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>A problem+json answer (RFC 9457).</summary>
public sealed class DirektException(int status, string type, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    : Exception($"{status} {title}{(detail is null ? "" : ": " + detail)}")
{
    public int Status { get; } = status;
    /// <summary>urn:direkt:problem:… — one per cause a client must tell apart (docs/api.md).</summary>
    public string Type { get; } = type;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    internal static DirektException From(int status, string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<Problem>(body, Json.Options);
            if (problem is not null) return new DirektException(status, problem.Type ?? "", problem.Title ?? "", problem.Detail, problem.Errors);
        }
        catch (JsonException)
        {
        }
        return new DirektException(status, "", $"HTTP {status}", body.Length > 200 ? body[..200] : body, null);
    }

    private sealed record Problem(string? Type, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
