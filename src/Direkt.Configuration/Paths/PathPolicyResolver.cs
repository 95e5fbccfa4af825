using System.Collections.Concurrent;
using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;
using Direkt.Hocon;
using Microsoft.Extensions.Configuration;

namespace Direkt.Configuration.Paths;

/// <summary>
/// Gives the effective <see cref="PathPolicy"/> of an asset path: every matching pattern applies, least specific first;
/// objects merge deeply, scalars and lists of the more specific pattern replace. Results are cached per set of matching patterns.
/// </summary>
public sealed class PathPolicyResolver
{
    private readonly IReadOnlyList<(PathPattern Pattern, HoconObject Settings)> _patterns; // least specific first
    private readonly ConcurrentDictionary<string, PathPolicy> _cache = new(StringComparer.Ordinal);

    private PathPolicyResolver(IReadOnlyList<(PathPattern, HoconObject)> patterns) => _patterns = patterns;

    public IEnumerable<PathPattern> Patterns => _patterns.Select(p => p.Pattern);

    /// <summary>
    /// Builds the resolver from the `paths` object. Problems (bad patterns, ties between overlapping patterns) are added to
    /// <paramref name="errors"/>; value problems inside each pattern are the schema's business.
    /// </summary>
    public static PathPolicyResolver Create(HoconObject paths, List<ConfigurationError> errors)
    {
        var parsed = new List<(PathPattern, HoconObject)>();
        foreach (var text in paths.Keys)
        {
            var key = ConfigurationKeys.Append("paths", text);
            if (!PathPattern.TryParse(text, out var pattern, out var problem))
            {
                errors.Add(new ConfigurationError(key, null, paths[text]!.Origin, problem!));
                continue;
            }
            if (paths[text] is HoconObject settings) parsed.Add((pattern!, settings));
        }

        parsed.Sort((x, y) => PathPattern.CompareSpecificity(x.Item1, y.Item1));
        for (var i = 0; i < parsed.Count; i++)
        for (var j = i + 1; j < parsed.Count && PathPattern.CompareSpecificity(parsed[i].Item1, parsed[j].Item1) == 0; j++)
        {
            if (!PathPattern.Overlap(parsed[i].Item1, parsed[j].Item1)) continue;
            errors.Add(new ConfigurationError(ConfigurationKeys.Append("paths", parsed[j].Item1.Text), null, parsed[j].Item2.Origin,
                $"is exactly as specific as \"{parsed[i].Item1.Text}\" and both match some paths; make one of them more specific"));
        }
        return new PathPolicyResolver(parsed);
    }

    /// <summary>The patterns that apply to <paramref name="assetPath"/>, least specific first.</summary>
    public IReadOnlyList<PathPattern> MatchingPatterns(string assetPath)
    {
        var segments = assetPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return _patterns.Where(p => p.Pattern.Matches(segments)).Select(p => p.Pattern).ToList();
    }

    public PathPolicy Resolve(string assetPath)
    {
        var segments = assetPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var matching = _patterns.Where(p => p.Pattern.Matches(segments)).ToList();
        var cacheKey = string.Join('\n', matching.Select(m => m.Pattern.Text));
        return _cache.GetOrAdd(cacheKey, _ => Bind(Merge(matching)));
    }

    /// <summary>The merged settings tree for a path (before binding), for diagnostics and tests.</summary>
    public HoconObject MergedSettings(string assetPath)
    {
        var segments = assetPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return Merge(_patterns.Where(p => p.Pattern.Matches(segments)).ToList());
    }

    private static HoconObject Merge(IEnumerable<(PathPattern Pattern, HoconObject Settings)> leastSpecificFirst) =>
        leastSpecificFirst.Aggregate(HoconObject.Empty, (merged, next) => next.Settings.WithFallback(merged));

    private static PathPolicy Bind(HoconObject settings)
    {
        // Every pattern's values were checked with the whole configuration (which is refused if any is wrong), and merging
        // valid patterns gives valid values; a wrong one is left out here so the remaining rules can still be checked at once.
        var checkedValues = ConfigurationSchema.Check(settings, typeof(PathPolicy));
        var policy = new PathPolicy();
        new ConfigurationBuilder().AddInMemoryCollection(checkedValues.Values).Build()
            .Bind(policy);
        return policy;
    }
}
