using System.Reflection;
using Direkt.Configuration.Options;
using Direkt.Configuration.Paths;
using Direkt.Hocon;
using Microsoft.Extensions.Configuration;

namespace Direkt.Configuration.Loading;

/// <summary>Where the configuration comes from: the file (if any), the environment and, for tests, extra HOCON on top.</summary>
public sealed record ConfigurationSource
{
    /// <summary>The file to read; null reads <see cref="DirektConfigurationLoader.DefaultPath"/> if it exists.</summary>
    public string? FilePath { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    /// <summary>HOCON text layered over everything else (tests and embedding).</summary>
    public string? Overrides { get; init; }

    public static ConfigurationSource FromProcess(string? filePath)
    {
        var environment = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        return new ConfigurationSource
        {
            FilePath = filePath ?? environment.GetValueOrDefault(EnvironmentOverrides.ConfigFileVariable),
            Environment = environment,
        };
    }
}

/// <summary>The validated configuration: typed options, the path policy resolver and the merged tree they came from.</summary>
public sealed record DirektConfiguration(DirektOptions Options, PathPolicyResolver Paths, HoconObject Tree, string? FilePath)
{
    /// <summary>Things the operator should know that do not stop the server (logged at start-up).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Builds <see cref="DirektConfiguration"/>: built-in defaults ‹ file ‹ environment ‹ overrides, checked against the options
/// schema, bound with the framework binder and validated. Every problem is gathered into one <see cref="DirektConfigurationException"/>.
/// </summary>
public static class DirektConfigurationLoader
{
    public const string DefaultPath = "config/direkt.conf";

    public static HoconObject Defaults { get; } = LoadDefaults();

    public static DirektConfiguration Load(ConfigurationSource source)
    {
        var lookup = (string name) => source.Environment.GetValueOrDefault(name);
        var (file, filePath) = ReadFile(source.FilePath, lookup);
        var warnings = new List<string>();
        var tree = EnvironmentOverrides.Build(source.Environment, warnings).WithFallback(file.WithFallback(Defaults));
        if (source.Overrides is { } overrides)
            tree = Parse(() => HoconParser.Parse(overrides, new HoconParseOptions { OriginName = "overrides", EnvironmentLookup = lookup }))
                .WithFallback(tree);
        return Build(tree, filePath) with { Warnings = warnings };
    }

    /// <summary>Checks, binds and validates a merged tree.</summary>
    public static DirektConfiguration Build(HoconObject tree, string? filePath)
    {
        var schema = ConfigurationSchema.Check(tree, typeof(DirektOptions));
        var errors = schema.Errors.ToList();
        // Values of the wrong shape are reported and left out of binding, so the rules below still check everything else:
        // the operator sees every problem at once.

        var options = new DirektOptions();
        new ConfigurationBuilder().AddInMemoryCollection(schema.Values).Build()
            .Bind(options);

        var beforePatterns = errors.Count;
        var paths = PathPolicyResolver.Create(tree["paths"] as HoconObject ?? HoconObject.Empty, errors);
        if (errors.Count == beforePatterns) DirektOptionsValidator.Validate(options, paths, errors); // rules need sound patterns
        if (errors.Count > 0) throw new DirektConfigurationException(errors);
        return new DirektConfiguration(options, paths, tree, filePath);
    }

    private static (HoconObject Tree, string? Path) ReadFile(string? requested, Func<string, string?> lookup)
    {
        var path = requested ?? DefaultPath;
        if (!File.Exists(path))
        {
            // The default location is optional (the built-in defaults are the same file); a path the operator named is not.
            if (requested is null) return (HoconObject.Empty, null);
            throw new DirektConfigurationException("config", $"the configuration file '{requested}' does not exist");
        }
        var full = Path.GetFullPath(path);
        return (Parse(() => HoconParser.ParseFile(full, new HoconParseOptions { OriginName = path, EnvironmentLookup = lookup })), full);
    }

    private static HoconObject Parse(Func<HoconObject> parse)
    {
        try
        {
            return parse();
        }
        catch (HoconException e)
        {
            throw new DirektConfigurationException([new ConfigurationError("(syntax)", null, null, e.Message)]);
        }
    }

    private static HoconObject LoadDefaults()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Direkt.Configuration.defaults.conf")
            ?? throw new InvalidOperationException("The built-in defaults are missing from the assembly.");
        using var reader = new StreamReader(stream);
        return HoconParser.Parse(reader.ReadToEnd(), new HoconParseOptions { OriginName = "built-in defaults", EnvironmentLookup = _ => null });
    }
}
