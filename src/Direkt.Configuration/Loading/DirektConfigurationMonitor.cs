using Direkt.Hocon;

namespace Direkt.Configuration.Loading;

/// <summary>
/// The configuration in force, and its reload (CONFIG.md): `variant-profiles`, `paths`, `url-signing` and
/// `variant-generation.synchronous-priority` take effect while running; an edit is validated whole first, and an invalid one is
/// reported and the running configuration kept. Other keys keep their start-up values until a restart (changes to them are
/// reported, not applied). Readers take <see cref="Current"/> each time, so one request sees one consistent snapshot.
/// </summary>
public sealed class DirektConfigurationMonitor(DirektConfiguration initial, ConfigurationSource source)
{
    /// <summary>The subtrees a reload may change.</summary>
    public static readonly IReadOnlyList<string[]> Reloadable =
        [["variant-profiles"], ["paths"], ["url-signing"], ["variant-generation", "synchronous-priority"]];

    private DirektConfiguration _current = initial;
    private readonly SemaphoreSlim _reloading = new(1, 1);

    public DirektConfiguration Current => Volatile.Read(ref _current);

    /// <summary>Validates a candidate before it is taken (checks that need libvips or the stores); throws to refuse it.</summary>
    public Func<DirektConfiguration, CancellationToken, Task>? Validator { get; set; }

    /// <summary>Loads the source again and applies what may change while running.</summary>
    public async Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            var current = Current;
            DirektConfiguration candidate;
            try
            {
                var loaded = DirektConfigurationLoader.Load(source);
                var merged = current.Tree;
                foreach (var path in Reloadable)
                    if (loaded.Tree.GetPath(string.Join('.', path)) is { } value) merged = Set(merged, path, value);
                candidate = DirektConfigurationLoader.Build(merged, loaded.FilePath);
                if (Validator is { } validate) await validate(candidate, cancellationToken);
                var needRestart = Differences(loaded.Tree, candidate.Tree);
                if (Flat(candidate.Tree).SequenceEqual(Flat(current.Tree)))
                    return new ReloadResult(false, null, needRestart);
                Volatile.Write(ref _current, candidate);
                return new ReloadResult(true, null, needRestart);
            }
            catch (Exception e) when (e is DirektConfigurationException or IOException or UnauthorizedAccessException)
            {
                return new ReloadResult(false, e.Message, []);
            }
        }
        finally
        {
            _reloading.Release();
        }
    }

    private static HoconObject Set(HoconObject tree, IReadOnlyList<string> path, HoconValue value)
    {
        if (path.Count == 1) return tree.WithValue(path[0], value);
        var child = tree[path[0]] as HoconObject ?? HoconObject.Empty;
        return tree.WithValue(path[0], Set(child, path.Skip(1).ToList(), value));
    }

    private static IEnumerable<KeyValuePair<string, string?>> Flat(HoconObject tree) => tree.Flatten().OrderBy(p => p.Key, StringComparer.Ordinal);

    // Keys whose new value was not applied (they need a restart).
    private static IReadOnlyList<string> Differences(HoconObject wanted, HoconObject applied)
    {
        var a = wanted.Flatten().ToDictionary(p => p.Key, p => p.Value);
        var b = applied.Flatten().ToDictionary(p => p.Key, p => p.Value);
        return a.Keys.Union(b.Keys).Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => k.Replace(':', '.')).Order(StringComparer.Ordinal).ToList();
    }
}

/// <param name="Applied">A changed configuration is now in force.</param>
/// <param name="Problem">Why the edit was refused (the running configuration is kept), or null.</param>
/// <param name="NeedRestart">Changed keys that only a restart applies.</param>
public sealed record ReloadResult(bool Applied, string? Problem, IReadOnlyList<string> NeedRestart);
