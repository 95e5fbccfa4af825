using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Direkt.Http.Access;

/// <summary>
/// Who may call a route. Every route declares one with <see cref="AccessRules.WithAccess{T}"/>; a route without one is
/// refused (and the server does not start), so a new route is never open by accident.
/// </summary>
public enum AccessRule
{
    /// <summary>Anyone: probes and metrics (put them on a private port or network).</summary>
    Open,

    /// <summary>Reads of assets: a valid URL signature when `url-signing` is on.</summary>
    SignedRead,

    /// <summary>Changes: `Authorization: Bearer {key}` with a key from `auth.api-keys` when keys are set.</summary>
    ApiKeyWrite,
}

/// <summary>The endpoint metadata that carries a route's <see cref="AccessRule"/>.</summary>
internal sealed record AccessRequirement(AccessRule Rule);

public static class AccessRules
{
    public static TBuilder WithAccess<TBuilder>(this TBuilder builder, AccessRule rule) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRequirement(rule));

    /// <summary>Throws when a mapped route declares no access rule (checked once at start-up).</summary>
    public static void EnsureDeclared(IEnumerable<EndpointDataSource> sources)
    {
        var undeclared = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AccessRequirement>() is null)
            .Select(e => e.DisplayName ?? e.RoutePattern.RawText)
            .ToList();
        if (undeclared.Count > 0)
            throw new InvalidOperationException($"routes without an access rule: {string.Join(", ", undeclared)}");
    }
}
