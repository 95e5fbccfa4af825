using Direkt.Hocon;

namespace Direkt.Configuration.Loading;

/// <summary>
/// Turns environment variables into a HOCON tree that is layered over the file: `DIREKT_` + key path upper-cased,
/// `.` → `__`, `-` → `_`, plus the short secret names. A value is read as a HOCON value (so lists, durations and sizes work)
/// only when it parses whole without comments; anything else is the literal string, so `ab#cd` is never cut to `ab`.
/// Overrides are applied to the tree (not as a separate IConfiguration provider) so that a list in the environment
/// replaces the file's list instead of overwriting it element by element.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "DIREKT_";
    public const string ConfigFileVariable = "DIREKT_CONFIG";
    public const string ApiKeysVariable = "DIREKT_API_KEYS";

    private static readonly (string Variable, string[] Path)[] ShortNames =
    [
        ("S3_ACCESS_KEY", ["object-store", "s3", "access-key"]),
        ("S3_SECRET_KEY", ["object-store", "s3", "secret-key"]),
        ("PG_PASSWORD", ["data-store", "postgresql", "password"]),
        ("URL_SIGNING_SECRET_KEY", ["url-signing", "secret-key"]),
    ];

    // Variables of ours that are not configuration keys.
    private static readonly HashSet<string> NotKeys = [ConfigFileVariable, ApiKeysVariable];

    public static HoconObject Build(IReadOnlyDictionary<string, string> environment) => Build(environment, []);

    /// <param name="warnings">Receives one line per variable that was skipped although it carries our prefix.</param>
    public static HoconObject Build(IReadOnlyDictionary<string, string> environment, ICollection<string> warnings)
    {
        var tree = HoconObject.Empty;

        // Short names first, so that the long DIREKT_ form wins when both are set.
        foreach (var (variable, path) in ShortNames)
            if (environment.TryGetValue(variable, out var secret))
                tree = Set(tree, path, Scalar(secret, variable));

        if (environment.TryGetValue(ApiKeysVariable, out var apiKeys))
        {
            var keys = apiKeys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            tree = Set(tree, ["auth", "api-keys"], ArrayOf(keys, ApiKeysVariable));
        }

        foreach (var (variable, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!variable.StartsWith(Prefix, StringComparison.Ordinal) || NotKeys.Contains(variable)) continue;
            if (IsServiceLink(variable))
            {
                warnings.Add($"environment variable {variable} looks like a Kubernetes service link, not a configuration key: skipped");
                continue;
            }
            var path = KeyPath(variable);
            if (path.Length == 0 || path.Any(p => p.Length == 0)) continue;
            tree = Set(tree, path, ParseValue(value, variable));
        }
        return tree;
    }

    // Kubernetes injects DIREKT_PORT, DIREKT_PORT_8080_TCP_ADDR, DIREKT_SERVICE_HOST, … for a Service named "direkt". No
    // configuration section is called "port" or "service", so these are never keys and must not stop the server as unknown ones.
    private static bool IsServiceLink(string variable) =>
        variable == Prefix + "PORT" || variable.StartsWith(Prefix + "PORT_", StringComparison.Ordinal)
        || variable.StartsWith(Prefix + "SERVICE_", StringComparison.Ordinal);

    /// <summary>DIREKT_VARIANT_GENERATION__WORKERS → ["variant-generation", "workers"].</summary>
    public static string[] KeyPath(string variable) =>
        variable[Prefix.Length..].Split("__").Select(part => part.ToLowerInvariant().Replace('_', '-')).ToArray();

    private static HoconValue ParseValue(string value, string variable)
    {
        try
        {
            return HoconParser.ParseValue(value, Options(variable));
        }
        catch (HoconException)
        {
            return Scalar(value, variable);
        }
    }

    private static HoconScalar Scalar(string value, string variable) =>
        (HoconScalar)HoconParser.ParseValue(Quote(value), Options(variable));

    private static HoconValue ArrayOf(IEnumerable<string> items, string variable) =>
        HoconParser.ParseValue("[" + string.Join(", ", items.Select(Quote)) + "]", Options(variable));

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static HoconParseOptions Options(string variable) => new()
    {
        OriginName = $"environment variable {variable}",
        EnvironmentLookup = _ => null,
        AllowComments = false,
    };

    private static HoconObject Set(HoconObject tree, IReadOnlyList<string> path, HoconValue value)
    {
        if (path.Count == 1) return tree.WithValue(path[0], value);
        var child = tree[path[0]] as HoconObject ?? HoconObject.Empty;
        return tree.WithValue(path[0], Set(child, path.Skip(1).ToList(), value));
    }
}
