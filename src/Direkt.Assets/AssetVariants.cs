using Direkt.Assets.Transformations;
using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;
using Direkt.Imaging;
using Direkt.Imaging.Transformations;
using Direkt.Storage.Records;
using Direkt.Scheduling;
using Direkt.Variants;

namespace Direkt.Assets;

/// <summary>What a client asked of an asset's content: transformation parameters (or a profile) and its Accept header.</summary>
public sealed record VariantRequest(IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<AcceptedType> Accept);

/// <summary>
/// The variant to serve, how it was obtained, whether Accept chose its format (then responses vary by Accept), and where its
/// generation spent its time when this request made it.
/// </summary>
public sealed record VariantAnswer(VariantRecord Variant, CacheOutcome Outcome, bool Negotiated, GenerationTimings? Timings = null);

/// <summary>A whole hit kept for its exact request: the asset, the answer, and the configuration and policy it was made under.</summary>
public sealed record RememberedHit(AssetRecord Asset, VariantAnswer Answer, PathSnapshot Snapshot);

/// <summary>
/// The on-demand variant use case: resolve the path policy and profile, parse and normalize the transformation, choose the
/// format, then serve the original or the cached variant, generating it once on a miss.
/// </summary>
public sealed class AssetVariants(DirektConfigurationMonitor settings, FormatCapabilities capabilities, VariantCache cache, VariantExpiry expiry,
    LookupCache lookups, VariantCounters counters)
{
    // The configuration in force now (paths and profiles may change while running).
    private DirektConfiguration configuration => settings.Current;

    public Task<VariantAnswer> GetAsync(AssetRecord asset, VariantRequest request, CancellationToken cancellationToken) =>
        GetAsync(asset, request, PathSnapshot.For(configuration, asset.Path), cancellationToken);

    /// <summary>The variant a request asks for, under the request's <paramref name="snapshot"/> of the asset's path.</summary>
    public async Task<VariantAnswer> GetAsync(AssetRecord asset, VariantRequest request, PathSnapshot snapshot, CancellationToken cancellationToken)
    {
        var policy = snapshot.Policy;
        var parsed = Parse(snapshot, request.Parameters);
        var original = asset.OriginalVariant;
        ImageFormat.TryParse(original.Attributes.Format, out var originalFormat);

        var choice = OutputFormatSelector.Select(parsed.Format, request.Accept, policy.Transform.Negotiate, originalFormat!,
                capabilities, negotiationAllowed: policy.Transform.OnDemandVariant.Mode != OnDemandMode.Disabled)
            ?? throw new AssetException(AssetProblemKind.NotAcceptable, "Not acceptable",
                $"None of the formats this path offers ({string.Join(", ", Offered(policy.Transform.Negotiate, originalFormat!))}) is acceptable to the client.");

        if (parsed.IsEmpty && choice.Format == originalFormat)
            return new VariantAnswer(original, CacheOutcome.Hit, choice.Negotiated);

        var transformation = TransformationNormalizer.Normalize(parsed with { Format = choice.Format.Name }, choice.Format.Name);
        var (variant, outcome, timings) = await ImageWorkFailures.TranslateAsync(() => cache.GetOrCreateAsync(asset, transformation, cancellationToken));
        if (outcome == CacheOutcome.Hit) expiry.NoteUse(asset, variant);
        return new VariantAnswer(variant, outcome, choice.Negotiated, timings);
    }

    /// <summary>
    /// The hit this instance served lately for exactly the same request (<paramref name="request"/>: its path, query and
    /// Accept) under the configuration in force: served again without parsing, policy or lookups, for as long as a cached
    /// lookup lives and forgotten with the path's lookups. Null when none is remembered. Once served, <see cref="Served"/>.
    /// </summary>
    public RememberedHit? Recall(string request) =>
        lookups.Recall(request) is RememberedHit hit && ReferenceEquals(hit.Snapshot.Configuration, configuration) ? hit : null;

    /// <summary>
    /// A recalled hit went out: counted as a hit and noted for `idle` expiry, as <see cref="GetAsync"/> does for a hit (not
    /// before: one whose bytes were gone is resolved afresh and counted then).
    /// </summary>
    public void Served(RememberedHit hit)
    {
        if (hit.Answer.Variant.IsOriginalVariant) return;
        counters.CountRecalledHit();
        expiry.NoteUse(hit.Asset, hit.Answer.Variant);
    }

    /// <summary>Taken before a request is resolved, for <see cref="Remember"/>.</summary>
    public long RememberMark => lookups.Mark;

    /// <summary>Keeps a hit for <see cref="Recall"/>; misses, and variants that were not stored, are never kept.</summary>
    public void Remember(string request, long mark, PathSnapshot snapshot, AssetRecord asset, VariantAnswer answer)
    {
        if (answer.Outcome != CacheOutcome.Hit || answer.Variant.UnstoredBytes is not null) return;
        lookups.Remember(request, asset.Path, new RememberedHit(asset, answer, snapshot), mark);
    }

    /// <summary>
    /// Queues the path's eager variants of a newly stored asset as best-effort asynchronous work (never waits; a full queue
    /// drops them, and they are generated on demand when asked for). Returns how many were queued.
    /// </summary>
    public int QueueEager(AssetRecord asset)
    {
        var policy = configuration.Paths.Resolve(asset.Path);
        var queued = 0;
        foreach (var name in policy.Transform.EagerVariants)
        {
            var parsed = Parse(asset, new Dictionary<string, string> { ["profile"] = name }, eager: true);
            var format = parsed.Format ?? asset.OriginalVariant.Attributes.Format;
            if (!ImageFormat.TryParse(format, out var f) || !capabilities.CanWrite(f!)) format = ImageFormat.Jpeg.Name;
            if (cache.QueueEager(asset, TransformationNormalizer.Normalize(parsed with { Format = format }, format))) queued++;
        }
        return queued;
    }

    /// <summary>
    /// The normalized query of a link, without generating anything. Without an explicit format the link carries none, so
    /// that the content request still negotiates by Accept.
    /// </summary>
    public string LinkQuery(AssetRecord asset, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.Count == 0) return "";
        var parsed = Parse(asset, parameters);
        if (parsed.Format is not null) OutputFormatSelector.RequireWritable(parsed.Format, capabilities);
        var format = parsed.Format ?? asset.OriginalVariant.Attributes.Format;
        var normalized = TransformationNormalizer.Normalize(parsed, format);
        return parsed.Format is not null ? normalized.Key : normalized.KeyWithoutFormat(keepQuality: parsed.Quality is not null);
    }

    /// <summary>
    /// Checks a background job's parameters (one profile, or a transformation query) before the job is accepted: the profile
    /// must exist and the parameters must parse and name a writable format (400 otherwise). Each asset's path policy is
    /// applied later, item by item (<see cref="ForJob"/>).
    /// </summary>
    public void CheckForJob(IReadOnlyDictionary<string, string> parameters)
    {
        var options = configuration.Options;
        if (parameters.TryGetValue("profile", out var name) && !options.VariantProfiles.ContainsKey(name))
            throw AssetException.BadRequest($"Unknown profile '{name}'.",
                new Dictionary<string, string[]> { ["profiles"] = [$"no such profile; defined: {string.Join(", ", options.VariantProfiles.Keys.Order())}"] });
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name is not null) foreach (var (key, value) in options.VariantProfiles[name].ToParameters()) merged[key] = value;
        foreach (var (key, value) in parameters) if (key != "profile") merged[key] = value;
        var parsed = TransformationParser.TryParse(merged, options.Limits.MaxOutputDimension, out var errors)
            ?? throw AssetException.BadRequest("The transformation parameters are invalid.", errors);
        if (parsed.Format is not null) OutputFormatSelector.RequireWritable(parsed.Format, capabilities);
    }

    /// <summary>
    /// The variant a background job makes of <paramref name="asset"/> for a profile or transformation query, under the GET
    /// rules of the asset's path (the same resolver, parser and normalizer): the explicit format, else the original's (JPEG
    /// when that cannot be written). Null when a GET would serve the original itself. Throws <see cref="AssetException"/>
    /// when the path does not allow the parameters.
    /// </summary>
    public Transformation? ForJob(AssetRecord asset, IReadOnlyDictionary<string, string> parameters)
    {
        var snapshot = PathSnapshot.For(configuration, asset.Path);
        var parsed = Parse(snapshot, parameters);
        if (parsed.Format is not null) OutputFormatSelector.RequireWritable(parsed.Format, capabilities);
        var format = parsed.Format ?? asset.OriginalVariant.Attributes.Format;
        if (!ImageFormat.TryParse(format, out var f) || !capabilities.CanWrite(f!)) format = ImageFormat.Jpeg.Name;
        if (parsed with { Format = null } is { IsEmpty: true } && format == asset.OriginalVariant.Attributes.Format) return null;
        return TransformationNormalizer.Normalize(parsed with { Format = format }, format);
    }

    /// <summary>The transformation a stored canonical key stands for (regenerating what existed), or null when it no longer parses.</summary>
    public static Transformation? FromKey(string key)
    {
        var parameters = key.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
        var request = TransformationParser.TryParse(parameters, int.MaxValue, out _);
        return request?.Format is { } format ? TransformationNormalizer.Normalize(request, format) : null;
    }

    /// <summary>Checks the parameters against the path's policy before any store is asked (400 on a bad parameter).</summary>
    public void Check(AssetPath path, IReadOnlyDictionary<string, string> parameters) =>
        Check(PathSnapshot.For(configuration, path.Value), parameters);

    /// <inheritdoc cref="Check(AssetPath, IReadOnlyDictionary{string, string})"/>
    public void Check(PathSnapshot snapshot, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.Count == 0) return; // nothing to check: the plain content request
        var parsed = Parse(snapshot, parameters);
        if (parsed.Format is not null) OutputFormatSelector.RequireWritable(parsed.Format, capabilities);
    }

    private TransformationRequest Parse(AssetRecord asset, IReadOnlyDictionary<string, string> parameters, bool eager = false) =>
        Parse(asset.Path, parameters, eager);

    private TransformationRequest Parse(string path, IReadOnlyDictionary<string, string> parameters, bool eager = false) =>
        Parse(PathSnapshot.For(configuration, path), parameters, eager);

    private static TransformationRequest Parse(PathSnapshot snapshot, IReadOnlyDictionary<string, string> parameters, bool eager = false) =>
        TransformationResolver.Resolve(parameters, snapshot.Policy, snapshot.Configuration.Options.VariantProfiles,
            snapshot.Configuration.Options.Limits.MaxOutputDimension, eager);

    private IEnumerable<string> Offered(IReadOnlyList<string> negotiate, ImageFormat original) =>
        negotiate.Prepend(original.Name).Distinct();
}
