using Direkt.Imaging;

namespace Direkt.Assets.Transformations;

/// <summary>One entry of an Accept header: a media range and its weight.</summary>
public sealed record AcceptedType(string MediaRange, double Quality);

/// <summary>
/// Chooses the output format (API.md §4): an explicit `format` wins; otherwise the Accept header decides between the
/// original's format and the path's `negotiate` list, by quality, then by how specifically the client named the type
/// (image/webp beats image/* beats */*), then by the order of the list. Wildcards alone keep the original format.
/// </summary>
internal static class OutputFormatSelector
{
    public sealed record Choice(ImageFormat Format, bool Negotiated);

    /// <returns>Null when the client accepts none of the candidates (406).</returns>
    public static Choice? Select(string? requested, IReadOnlyList<AcceptedType> accept, IReadOnlyList<string> negotiate,
        ImageFormat original, FormatCapabilities capabilities, bool negotiationAllowed)
    {
        if (requested is not null) return new Choice(RequireWritable(requested, capabilities), false);
        if (!negotiationAllowed) return new Choice(original, false);

        var offered = negotiate
            .Select(n => ImageFormat.TryParse(n, out var f) ? f : null)
            .Where(f => f is not null && f != original && capabilities.CanWrite(f))
            .Cast<ImageFormat>()
            .Distinct()
            .ToList();
        var types = accept.Count == 0 ? [new AcceptedType("*/*", 1)] : accept;

        var ranked = offered.Select((format, index) => (Format: format, Rank: Rank(format, types), Order: index + 1))
            .Append((Format: original, Rank: Rank(original, types), Order: 0))
            .Where(c => c.Rank.Quality > 0)
            .OrderByDescending(c => c.Rank.Quality)
            .ThenByDescending(c => c.Rank.Specificity)
            // Named exactly: the negotiate list leads; matched only by a wildcard: the original leads.
            .ThenBy(c => c.Rank.Specificity == 2 ? (c.Order == 0 ? int.MaxValue : c.Order) : c.Order)
            .ToList();
        return ranked.Count == 0 ? null : new Choice(ranked[0].Format, true);
    }

    /// <summary>The format by name, or a 400 naming what this libvips can write instead.</summary>
    public static ImageFormat RequireWritable(string name, FormatCapabilities capabilities)
    {
        if (ImageFormat.TryParse(name, out var format) && capabilities.CanWrite(format!)) return format!;
        var why = format is null ? "" : $": {capabilities.MissingEncoder(format)}";
        throw AssetException.BadRequest($"This server cannot write {name}{why}.", new Dictionary<string, string[]>
        {
            ["format"] = [$"this server cannot write {name}{why}; it writes {string.Join(", ", capabilities.Writable)}"],
        });
    }

    private static (double Quality, int Specificity) Rank(ImageFormat format, IReadOnlyList<AcceptedType> types)
    {
        // The most specific matching range decides the quality (RFC 9110 §12.5.1).
        foreach (var specificity in new[] { 2, 1, 0 })
        {
            var match = types.FirstOrDefault(t => Specificity(t.MediaRange, format) == specificity);
            if (match is not null) return (match.Quality, specificity);
        }
        return (0, -1);
    }

    private static int Specificity(string range, ImageFormat format)
    {
        if (string.Equals(range, format.MimeType, StringComparison.OrdinalIgnoreCase)) return 2;
        if (string.Equals(range, "image/*", StringComparison.OrdinalIgnoreCase)) return 1;
        return range == "*/*" ? 0 : -1;
    }
}
