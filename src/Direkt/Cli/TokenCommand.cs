using System.Globalization;
using Direkt.Configuration.Loading;
using Direkt.Http.Access;

namespace Direkt.Cli;

/// <summary>
/// `Direkt token --path P [--expires-in SECONDS] [--max-bytes N] [--type MIME]…`: prints an upload token signed with
/// auth.upload-tokens.secret-key from the same configuration the server reads (the key never appears on the command line).
/// Same rules as `POST /tokens`: the path is an asset path or a "/**" prefix pattern, the lifetime (default 10 min) is capped
/// by auth.upload-tokens.max-lifetime, types are image MIME types.
/// </summary>
internal static class TokenCommand
{
    public static readonly string[] Options = ["--expires-in", "--max-bytes", "--type"];

    public static Task<int> RunAsync(CommandArguments arguments)
    {
        arguments.NoWords();
        if (arguments.Path is null) throw new UsageException("--path is required");
        var expiresIn = Number(arguments, "--expires-in");
        var maxBytes = Number(arguments, "--max-bytes");
        var types = arguments.Options.Where(o => o.Name == "--type").Select(o => o.Value).ToList();

        var issuer = new UploadTokenIssuer(DirektConfigurationLoader.Load(arguments.Source()), TimeProvider.System);
        if (issuer.Tokens is null)
        {
            Console.Error.WriteLine("auth.upload-tokens.secret-key is not set (in direkt.conf or DIREKT_AUTH__UPLOAD_TOKENS__SECRET_KEY)");
            return Task.FromResult(2);
        }
        var errors = UploadTokenIssuer.Check(arguments.Path, expiresIn, maxBytes, types.Count == 0 ? null : types);
        if (errors.Count > 0)
            throw new UsageException(string.Join("; ", errors.Select(e => $"{Flag(e.Key)}: {string.Join(", ", e.Value)}")));
        Console.WriteLine(issuer.Mint(arguments.Path, expiresIn, maxBytes, types.Count == 0 ? null : types).Token);
        return Task.FromResult(0);
    }

    private static long? Number(CommandArguments arguments, string name)
    {
        var given = arguments.Options.Where(o => o.Name == name).ToList();
        if (given.Count == 0) return null;
        if (given.Count > 1) throw new UsageException($"{name} is given more than once");
        return long.TryParse(given[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{name} must be a whole number");
    }

    private static string Flag(string field) => field switch
    {
        "path" => "--path",
        "expiresIn" => "--expires-in",
        "maxBytes" => "--max-bytes",
        _ => "--type",
    };
}
