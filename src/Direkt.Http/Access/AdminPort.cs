using Direkt.Configuration.Loading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Direkt.Http.Access;

/// <summary>The endpoint metadata of operator routes (/metrics, /stats, /status): served on `http.admin-port` when it is set.</summary>
internal sealed class AdminRoute
{
    public static readonly AdminRoute Instance = new();
}

public static class AdminRoutes
{
    /// <summary>Marks an operator route: with `http.admin-port` set it is served only there (and the others never there).</summary>
    public static TBuilder OnAdminPort<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AdminRoute.Instance);
}

/// <summary>
/// With `http.admin-port` set, Kestrel listens on two ports and this splits the routes by the port a request came in on:
/// operator routes only on the admin port, every other route only on `http.port`. The wrong port answers 404, as if the
/// route did not exist there (the endpoint is cleared, so the status-code pages write the usual problem). Runs after routing.
/// </summary>
internal sealed class AdminPortFilter(RequestDelegate next, DirektConfiguration startup)
{
    private readonly int? _adminPort = startup.Options.Http.AdminPort;

    public Task InvokeAsync(HttpContext context)
    {
        if (_adminPort is { } adminPort && context.GetEndpoint() is { } endpoint)
        {
            var adminRoute = endpoint.Metadata.GetMetadata<AdminRoute>() is not null;
            var onAdminPort = context.Connection.LocalPort == adminPort;
            if (adminRoute != onAdminPort) context.SetEndpoint(null);
        }
        return next(context);
    }
}
