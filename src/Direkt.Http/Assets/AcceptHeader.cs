using Direkt.Assets.Transformations;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Direkt.Http.Assets;

/// <summary>Reads the Accept header into media ranges with their weights (q defaults to 1; unparsable entries are skipped).</summary>
internal static class AcceptHeader
{
    public static IReadOnlyList<AcceptedType> Parse(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var values)
            ? values.Select(v => new AcceptedType(v.MediaType.Value ?? "", Math.Clamp(v.Quality ?? 1.0, 0, 1))).ToList()
            : [];
}
