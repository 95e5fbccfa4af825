using Direkt.Assets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Direkt.Http.Assets;

/// <summary>
/// Reads a multipart/form-data upload part by part without buffering: `asset` (the image, streamed into a temporary file by
/// the asset service, which enforces the size limit while reading) and optional `metadata` (JSON). The parts may come in any order.
/// </summary>
internal sealed record MultipartUpload(SpooledUpload Content, AssetMetadata Metadata)
{
    private const int MaxBoundaryLength = 200;

    /// <param name="tokenMaxBytes">An upload token's `max_bytes`: the image part is refused mid-stream past it (413).</param>
    public static async Task<MultipartUpload> ReadAsync(HttpRequest request, AssetIngest assets, CancellationToken cancellationToken,
        long? tokenMaxBytes = null)
    {
        var boundary = Boundary(request);
        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        SpooledUpload? content = null;
        AssetMetadata? metadata = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var name = PartName(section);
                switch (name)
                {
                    case "asset" when content is null:
                        var body = tokenMaxBytes is { } limit ? new TokenLimitedStream(section.Body, limit) : section.Body;
                        content = await assets.ReceiveAsync(body, AssetOrigin.Upload, cancellationToken);
                        break;
                    case "metadata" when metadata is null:
                        metadata = await MetadataJson.ReadAsync(section.Body, cancellationToken);
                        break;
                    case "asset" or "metadata":
                        throw Bad(name, $"the '{name}' part is given more than once");
                    default:
                        throw Bad("multipart", $"unexpected part '{Shorten(name)}'; expected 'asset' and optionally 'metadata'");
                }
            }
            if (content is null) throw Bad("asset", "the multipart body has no 'asset' part with the image");
            return new MultipartUpload(content, metadata ?? AssetMetadata.Empty);
        }
        catch (Exception e)
        {
            if (content is not null) await content.DisposeAsync();
            // A body that ends early or breaks the multipart framing is the client's mistake, not ours. Kestrel's own
            // BadHttpRequestException (an IOException too, e.g. body over the size limit) keeps its status.
            if (e is InvalidDataException || (e is IOException and not BadHttpRequestException && !cancellationToken.IsCancellationRequested))
                throw Bad("multipart", "the multipart body is malformed or ends early");
            throw;
        }
    }

    private static string Boundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
            throw Unsupported("Send the image as multipart/form-data with a part named 'asset'.");
        if (!mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw Unsupported($"Content-Type {mediaType.MediaType} is not accepted; send multipart/form-data with a part named 'asset', or application/json with \"url\".");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
            throw Bad("Content-Type", "multipart/form-data needs a boundary of 1–200 characters");
        return boundary;
    }

    private static string PartName(MultipartSection section)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            throw Bad("multipart", "every part needs Content-Disposition: form-data with a name");
        return HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
    }

    private static AssetException Bad(string field, string message) =>
        AssetException.BadRequest($"The upload is malformed: {message}.", new Dictionary<string, string[]> { [field] = [message] });

    private static AssetException Unsupported(string detail) =>
        new(AssetProblemKind.UnsupportedMediaType, "Unsupported media type", detail);

    private static string Shorten(string text) => string.Concat(text.Take(40).Select(c => char.IsControl(c) ? '?' : c));
}
