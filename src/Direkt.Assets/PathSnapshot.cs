using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;

namespace Direkt.Assets;

/// <summary>
/// The configuration a request runs under, and its path's policy resolved once: every step of one request (parameter check,
/// lookup, generation, headers) sees the same settings even when a reload lands midway, and none resolves the policy again.
/// </summary>
public sealed record PathSnapshot(DirektConfiguration Configuration, PathPolicy Policy)
{
    public static PathSnapshot For(DirektConfiguration configuration, string path) => new(configuration, configuration.Paths.Resolve(path));
}
