using Direkt.Configuration.Loading;
using Direkt.Http.Access;

namespace Direkt;

/// <summary>
/// `Direkt sign [--config FILE] URL…`: prints each URL with its signature `s` appended, using url-signing.secret-key and
/// url-signing.algorithm from the same configuration the server reads (file, then environment, e.g. URL_SIGNING_SECRET_KEY).
/// The secret never appears on the command line, where other users of the machine could read it.
/// </summary>
public static class SignCommand
{
    public static int Run(string[] args)
    {
        var configPath = default(string);
        var urls = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length) configPath = args[++i];
            else urls.Add(args[i]);
        }
        if (urls.Count == 0)
        {
            Console.Error.WriteLine("usage: Direkt sign [--config FILE] /assets/PATH[/-/…][?QUERY] …   (or absolute URLs)");
            return 2;
        }
        var signing = DirektConfigurationLoader.Load(ConfigurationSource.FromProcess(configPath)).Options.UrlSigning;
        if (string.IsNullOrEmpty(signing.SecretKey))
        {
            Console.Error.WriteLine("url-signing.secret-key is not set (in direkt.conf or URL_SIGNING_SECRET_KEY)");
            return 2;
        }
        var signer = new UrlSigner(signing.SecretKey, signing.Algorithm);
        foreach (var url in urls) Console.WriteLine(signer.Sign(url));
        return 0;
    }
}
