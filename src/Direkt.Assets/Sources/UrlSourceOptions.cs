namespace Direkt.Assets.Sources;

/// <summary>
/// The limits of one server-side fetch of a URL source (`source.url` in direkt.conf). A record of its own, rather than the
/// mutable configuration class, so the fetcher cannot observe a half-applied change and tests can build one in a line.
/// </summary>
/// <param name="AllowedDomains">Exact hosts or `*.suffix` patterns (see <see cref="DomainAllowList"/>); empty refuses every URL.</param>
/// <param name="MaxBytes">Largest body accepted, counted while streaming.</param>
/// <param name="Timeout">Bound on the whole fetch: every DNS lookup, connection, redirect hop and the body.</param>
/// <param name="MaxRedirects">Redirects followed before giving up; 0 follows none.</param>
public sealed record UrlSourceOptions(IReadOnlyList<string> AllowedDomains, long MaxBytes, TimeSpan Timeout, int MaxRedirects)
{
    /// <summary>Copies the validated `source.url` settings.</summary>
    public static UrlSourceOptions From(Direkt.Configuration.Options.UrlSourceOptions configured) =>
        new([.. configured.AllowedDomains], configured.MaxBytes, configured.Timeout, configured.MaxRedirects);
}
