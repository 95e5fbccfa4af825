using Direkt.Configuration.Options;
using Direkt.Imaging.Transformations;

namespace Direkt.Assets.Transformations;

/// <summary>
/// Turns the transformation parameters of a request into a parsed request, honouring the path's on-demand mode and the
/// variant profiles (a profile's fields first, explicit parameters over them).
/// </summary>
public static class TransformationResolver
{
    public static TransformationRequest Resolve(IReadOnlyDictionary<string, string> parameters, PathPolicy policy,
        IReadOnlyDictionary<string, TransformationSettings> profiles, int maxOutputDimension, bool eager = false)
    {
        var mode = policy.Transform.OnDemandVariant.Mode;
        // Mode `disabled` still serves the path's eager profiles (generated on demand when missing).
        var eagerProfile = parameters.Count == 1 && parameters.TryGetValue("profile", out var requested)
            && policy.Transform.EagerVariants.Contains(requested);
        if (parameters.Count > 0 && mode == OnDemandMode.Disabled && !eager && !eagerProfile)
            throw AssetException.BadRequest("On-demand variants are disabled for this path.",
                Errors(parameters.Keys.First(), "on-demand variants are disabled for this path (transform.on-demand-variant.mode = disabled)"));
        if (mode == OnDemandMode.ProfileOnly && parameters.Keys.FirstOrDefault(k => k != "profile") is { } other)
            throw AssetException.BadRequest("Only named profiles are allowed for this path.",
                Errors(other, "only profile=NAME is allowed for this path (transform.on-demand-variant.mode = profile_only)"));

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters.TryGetValue("profile", out var name))
        {
            if (!profiles.TryGetValue(name, out var profile))
                throw AssetException.BadRequest($"Unknown profile '{name}'.",
                    Errors("profile", $"no such profile; defined: {string.Join(", ", profiles.Keys.Order())}"));
            foreach (var (key, value) in profile.ToParameters()) merged[key] = value;
        }
        foreach (var (key, value) in parameters)
            if (key != "profile") merged[key] = value;

        return TransformationParser.TryParse(merged, maxOutputDimension, out var errors)
            ?? throw AssetException.BadRequest("The transformation parameters are invalid.", errors);
    }

    /// <summary>The explicit form of a stored canonical key (every field named), for `info`.</summary>
    public static IReadOnlyDictionary<string, string>? Explicit(string? key)
    {
        if (key is null) return null;
        var parameters = key.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        var request = TransformationParser.TryParse(parameters, int.MaxValue, out _);
        return request is null ? null : TransformationNormalizer.Normalize(request, request.Format ?? parameters["format"]).Explicit;
    }

    private static Dictionary<string, string[]> Errors(string field, string message) => new() { [field] = [message] };
}
