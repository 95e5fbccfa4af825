using Direkt.Configuration.Loading;
using Direkt.Http.Access;

namespace Direkt.Cli;

/// <summary>
/// `Direkt sign [--config FILE] URL…`: prints each URL with its signature `s` appended, using url-signing.secret-key and
/// url-signing.algorithm from the same configuration the server reads (file, then environment, e.g. URL_SIGNING_SECRET_KEY).
/// The secret never appears on the command line, where other users of the machine could read it.
/// </summary>
internal static class SignCommand
{
    public static Task<int> RunAsync(CommandArguments arguments)
    {
        if (arguments.Words.Count == 0) throw new UsageException("no URL to sign");
        var signing = DirektConfigurationLoader.Load(arguments.Source()).Options.UrlSigning;
        if (string.IsNullOrEmpty(signing.SecretKey))
        {
            Console.Error.WriteLine("url-signing.secret-key is not set (in direkt.conf or URL_SIGNING_SECRET_KEY)");
            return Task.FromResult(2);
        }
        var signer = new UrlSigner(signing.SecretKey, signing.Algorithm);
        foreach (var url in arguments.Words) Console.WriteLine(signer.Sign(url));
        return Task.FromResult(0);
    }
}
