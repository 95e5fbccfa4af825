namespace Direkt.Hocon;

public sealed record HoconParseOptions
{
    /// <summary>Environment lookup for substitutions the document does not define; default: the process environment.</summary>
    public Func<string, string?>? EnvironmentLookup { get; init; }

    /// <summary>Folder for relative includes; default: the file's folder (ParseFile) or the current directory.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Name used in origins and error messages; ParseFile defaults to the path.</summary>
    public string OriginName { get; init; } = "<string>";

    /// <summary>
    /// When false, `#` and `//` outside quotes are errors instead of comments: a value from outside a file (an environment
    /// variable) either parses whole or is taken literally, never silently cut at a `#`.
    /// </summary>
    public bool AllowComments { get; init; } = true;
}

/// <summary>Parses HOCON documents (github.com/lightbend/config HOCON.md) into resolved, immutable values.</summary>
public static class HoconParser
{
    public static HoconObject Parse(string text, HoconParseOptions? options = null)
    {
        options ??= new HoconParseOptions();
        return ParseDocument(text, options, options.BaseDirectory ?? Directory.GetCurrentDirectory(), options.OriginName);
    }

    public static HoconObject ParseFile(string path, HoconParseOptions? options = null)
    {
        options ??= new HoconParseOptions { OriginName = path };
        var origin = options.OriginName == "<string>" ? path : options.OriginName;
        var baseDirectory = options.BaseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return ParseDocument(File.ReadAllText(path), options, baseDirectory, origin);
    }

    /// <summary>Parses one value (a list, object, duration, quoted or unquoted string …), resolving substitutions from the environment.</summary>
    public static HoconValue ParseValue(string text, HoconParseOptions? options = null)
    {
        options ??= new HoconParseOptions();
        var tokens = new HoconTokenizer(text, options.OriginName, options.AllowComments).Tokenize();
        var syntax = new HoconSyntaxParser(tokens, options.OriginName).ParseSingleValue();
        var source = new HoconBuilder.Source(options.OriginName, options.BaseDirectory ?? Directory.GetCurrentDirectory(), 0);
        var node = new HoconBuilder().Convert(syntax, [], source);
        return new HoconResolver(new ObjectNode(options.OriginName), Environment(options)).ResolveValue(node);
    }

    private static HoconObject ParseDocument(string text, HoconParseOptions options, string baseDirectory, string origin)
    {
        var tokens = new HoconTokenizer(text, origin).Tokenize();
        var syntax = new HoconSyntaxParser(tokens, origin).ParseDocument();
        var root = new ObjectNode($"{origin}:1");
        new HoconBuilder().Apply(root, [], syntax, new HoconBuilder.Source(origin, baseDirectory, 0));
        return new HoconResolver(root, Environment(options)).Resolve();
    }

    private static Func<string, string?> Environment(HoconParseOptions options) =>
        options.EnvironmentLookup ?? System.Environment.GetEnvironmentVariable;
}
