using System.Text.Json;
using System.Text.Json.Serialization;
using Direkt.Assets;
using Direkt.Configuration.Loading;
using Direkt.Http.Access;
using Direkt.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Direkt.Http.Jobs;

/// <summary>
/// The /jobs endpoints (docs/api.md, "Background jobs"): start, read, list and cancel background jobs. Every one of them
/// needs an API key when keys are set — listings name asset paths and what is being done to them.
/// </summary>
internal static class JobEndpoints
{
    public const string Prefix = "/jobs";

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Prefix, StartAsync).WithAccess(AccessRule.ApiKeyWrite);
        endpoints.MapGet(Prefix, ListAsync).WithAccess(AccessRule.ApiKeyWrite);
        endpoints.MapGet(Prefix + "/{id}", GetAsync).WithAccess(AccessRule.ApiKeyWrite);
        endpoints.MapDelete(Prefix + "/{id}", CancelAsync).WithAccess(AccessRule.ApiKeyWrite);
        return endpoints;
    }

    private sealed record Body(string? Kind, string? Path, List<string>? Profiles, List<string>? Transformations, bool? DryRun);

    private static async Task<IResult> StartAsync(HttpContext context, JobService jobs, DirektConfigurationMonitor settings, TimeProvider time)
    {
        Body? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<Body>(context.Request.Body, Strict, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw AssetException.BadRequest("The job is not valid JSON.", new Dictionary<string, string[]> { ["body"] = [e.Message] });
        }
        if (body is null) throw AssetException.BadRequest("The job is missing: send a JSON object.");
        var job = await jobs.StartAsync(new JobRequest(body.Kind, body.Path, body.Profiles, body.Transformations, body.DryRun ?? false),
            context.RequestAborted);
        var location = $"{settings.Current.Options.Http.PublicUrl.TrimEnd('/')}{Prefix}/{job.Id}";
        context.Response.Headers.Location = location;
        return Results.Json(JobRepresentation.Of(job, time.GetUtcNow()), statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetAsync(string id, JobService jobs, TimeProvider time, CancellationToken cancellationToken) =>
        await jobs.GetAsync(id, cancellationToken) is { } job
            ? Results.Json(JobRepresentation.Of(job, time.GetUtcNow()))
            : throw AssetException.NotFound($"There is no job '{id}' (finished jobs are kept for jobs.retention).");

    private static async Task<IResult> ListAsync(HttpContext context, JobService jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        int? limit = null;
        if (query.TryGetValue("limit", out var limitText))
            limit = int.TryParse(limitText, out var parsed) ? parsed
                : throw AssetException.BadRequest("The listing is invalid.", new Dictionary<string, string[]> { ["limit"] = ["a whole number"] });
        var state = query.TryGetValue("state", out var s) ? s.ToString() : null;
        var cursor = query.TryGetValue("cursor", out var c) ? c.ToString() : null;
        var page = await jobs.ListAsync(state, limit, cursor, cancellationToken);
        var effectiveLimit = limit ?? JobService.DefaultListLimit;
        var now = time.GetUtcNow();
        return Results.Json(new
        {
            jobs = page.Jobs.Select(j => JobRepresentation.Of(j, now)),
            counts = page.Counts,
            nextCursor = page.Jobs.Count == effectiveLimit ? page.Jobs[^1].Id : null,
        });
    }

    private static async Task<IResult> CancelAsync(string id, JobService jobs, TimeProvider time, CancellationToken cancellationToken) =>
        await jobs.CancelAsync(id, cancellationToken) is { } job
            ? Results.Json(JobRepresentation.Of(job, time.GetUtcNow()))
            : throw AssetException.NotFound($"There is no job '{id}'.");
}
