using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Direkt.Tests.Support;

/// <summary>Records every request that reaches Direkt (first in the pipeline), to see what a proxy in front sent on.</summary>
public sealed class RequestRecorder : IStartupFilter
{
    public sealed record Seen(string Method, string Target, string? IfNoneMatch, int Status);

    private readonly ConcurrentQueue<Seen> _seen = new();
    public IReadOnlyList<Seen> Requests => [.. _seen];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            await inner(context);
            var request = context.Request;
            _seen.Enqueue(new Seen(request.Method, request.Path + request.QueryString,
                request.Headers.IfNoneMatch.Count > 0 ? request.Headers.IfNoneMatch.ToString() : null, context.Response.StatusCode));
        });
        next(app);
    };
}
