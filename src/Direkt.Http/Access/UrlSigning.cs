using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;

namespace Direkt.Http.Access;

/// <summary>
/// The signer of the `url-signing` block in force, or null while signing is off. Rebuilt only when the block changes (it may,
/// on a configuration reload); checking requests and signing links share it.
/// </summary>
public sealed class UrlSigning(DirektConfigurationMonitor settings)
{
    private (UrlSigningOptions Options, UrlSigner? Signer) _cached;

    public UrlSigner? Current
    {
        get
        {
            var options = settings.Current.Options.UrlSigning;
            var cached = _cached;
            if (!ReferenceEquals(cached.Options, options))
                _cached = cached = (options, options.Enabled ? new UrlSigner(options.SecretKey!, options.Algorithm) : null);
            return cached.Signer;
        }
    }
}
