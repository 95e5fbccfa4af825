using Direkt.Assets;
using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;
using Direkt.Http.Access;
using Direkt.Http.OpenApi;
using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Direkt.Variants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Direkt.Http.Assets;

/// <summary>The /assets endpoints (API.md §2): store with POST, fetch with GET/HEAD.</summary>
internal static class AssetEndpoints
{
    public const string Prefix = "/assets";

    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix);
        // "{**rest}" alone does not match "/assets" itself; both forms reach the same handlers, which answer 400 for an empty path.
        foreach (var pattern in new[] { "", "/{**rest}" })
        {
            var suffix = pattern.Length == 0 ? "AtRoot" : ""; // operation names are unique in the OpenAPI document
            group.MapPost(pattern, StoreAsync).WithAccess(AccessRule.ApiKeyWrite).AcceptsUploadTokens()
                .WithName("StoreAsset" + suffix).WithSummary("Store an image at a path (multipart upload or a URL source)")
                .DescribesBody<UploadForm>("multipart/form-data").DescribesBody<UrlSourceBody>("application/json")
                .Produces<AssetRepresentations.AssetInfo>(StatusCodes.Status201Created)
                .DescribeProblems(400, 401, 403, 413, 415, 422, 502, 503, 504, 507);
            group.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], FetchAsync).WithAccess(AccessRule.SignedRead)
                .WithName("FetchAsset" + suffix)
                .WithSummary("Fetch an asset: link (default), content, download, redirect or info, optionally as a variant")
                .Produces<AssetRepresentations.AssetInfo>(StatusCodes.Status200OK)
                .Produces(StatusCodes.Status307TemporaryRedirect)
                .WithMetadata(FetchResponses.Marker)
                .DescribeProblems(400, 403, 404, 406, 413, 422, 503);
            group.MapPut(pattern, UpdateAsync).WithAccess(AccessRule.ApiKeyWrite).AcceptsUploadTokens()
                .WithName("UpdateAsset" + suffix).WithSummary("Replace an asset's alt, labels and tags (…/-/entry/{id})")
                .DescribesBody<MetadataBody>("application/json")
                .Produces<AssetRepresentations.AssetInfo>(StatusCodes.Status200OK)
                .DescribeProblems(400, 401, 403, 404, 413, 415);
            group.MapDelete(pattern, DeleteAsync).WithAccess(AccessRule.ApiKeyWrite)
                .WithName("DeleteAsset" + suffix).WithSummary("Delete assets (entry, newest, limit or recursive); idempotent")
                .Produces(StatusCodes.Status204NoContent)
                .DescribeProblems(400, 401, 503);
        }
        return endpoints;
    }

    private static async Task<IResult> StoreAsync(HttpContext context, AssetIngest assets, DirektConfigurationMonitor settings)
    {
        var configuration = settings.Current;
        var address = AssetAddress.Parse(PathAfterPrefix(context), context.Request.Method);
        var grant = context.UploadTokenGrant(); // an upload token's limits on size and type, when one authorized the request
        SpooledUpload spool;
        AssetMetadata metadata;
        AssetOrigin origin;
        if (IsJson(context.Request))
        {
            var (url, fields) = await MetadataJson.ReadUrlSourceAsync(context.Request.Body, context.RequestAborted);
            (spool, origin) = await assets.ReceiveFromUrlAsync(url, context.RequestAborted);
            metadata = fields;
        }
        else
        {
            var upload = await MultipartUpload.ReadAsync(context.Request, assets, context.RequestAborted, grant?.Claims.MaxBytes);
            (spool, metadata, origin) = (upload.Content, upload.Metadata, AssetOrigin.Upload);
        }
        await using var content = spool;
        var record = await assets.StoreAsync(address.Path, content, metadata, origin, context.RequestAborted, grant?.Claims.Types);
        var location = $"{PublicUrl(configuration)}{Prefix}{record.Path}/-/entry/{record.EntryId}";
        return Results.Created(location, AssetRepresentations.Info(record));
    }

    private static async Task FetchAsync(HttpContext context, AssetCatalog assets, AssetVariants variants, DirektConfigurationMonitor settings,
        IPresignedObjectUrls presigner, Access.UrlSigning signing)
    {
        var address = AssetAddress.Parse(PathAfterPrefix(context), context.Request.Method);
        // A hit served lately for exactly this request is served again without parsing, policy or lookups.
        var remembered = address.ReturnFormat is ReturnFormat.Content or ReturnFormat.Download ? RememberedRequest.Of(context, variants) : null;
        if (remembered?.Hit is { } hit && await ServeRememberedAsync(context, assets, address, hit))
        {
            variants.Served(hit);
            return;
        }
        // One configuration snapshot and one policy resolution for the whole request.
        var snapshot = PathSnapshot.For(settings.Current, address.Path.Value);
        var configuration = snapshot.Configuration;
        var query = AssetQueryString.Parse(context.Request.Query);
        CheckQueryFits(address, query);

        if (address.ReturnFormat != ReturnFormat.Info) variants.Check(snapshot, query.Transformation);
        var limit = address.ReturnFormat == ReturnFormat.Info ? query.Limit ?? 1 : 1;
        // Asset information lists every variant (an explicit read of all of them); links and content need only the original.
        var variantScope = address.ReturnFormat == ReturnFormat.Info ? VariantScope.All : VariantScope.Original;
        var found = await FindAsync(assets, address, query, limit, variantScope, context.RequestAborted);

        switch (address.ReturnFormat)
        {
            case ReturnFormat.Info:
                object body = limit == 1 ? AssetRepresentations.Info(found[0]) : found.Select(AssetRepresentations.Info).ToList();
                await Results.Json(body).ExecuteAsync(context);
                break;
            case ReturnFormat.Link:
                var record = found[0];
                var linkQuery = variants.LinkQuery(record, query.Transformation);
                var target = $"{Prefix}{record.Path}/-/entry/{record.EntryId}/content" + (linkQuery.Length > 0 ? "?" + linkQuery : "");
                // With signing on, a link is only useful signed: the browser that follows it has no secret.
                if (signing.Current is { } signer) target = signer.Sign(target);
                var url = PublicUrl(configuration) + target;
                await Results.Json(AssetRepresentations.LinkTo(record, url)).ExecuteAsync(context);
                break;
            default:
                await ServeAsync(context, assets, variants, presigner, address, query, snapshot, found[0], remembered);
                break;
        }
    }

    /// <summary>
    /// The content (or a redirect to it). When the bytes vanish under the request — a DELETE or an expiry between the lookup and
    /// the read — the asset is looked up once more from the records: the variant is generated again, or the answer is 404 when
    /// the asset is gone. Only a record whose bytes are still missing then is an error (503, logged).
    /// </summary>
    private static async Task ServeAsync(HttpContext context, AssetCatalog assets, AssetVariants variants, IPresignedObjectUrls presigner,
        AssetAddress address, AssetQueryString query, PathSnapshot snapshot, AssetRecord asset, RememberedRequest? remembered)
    {
        var policy = snapshot.Policy;
        var request = new VariantRequest(query.Transformation, AcceptHeader.Parse(context.Request));
        // Entry-addressed URLs name bytes that never change; selector URLs move to newer assets (docs/api.md#caching-headers).
        var cacheControl = HttpCaching.CacheControl(policy.CacheControl, entryAddressed: address.Selector is AssetSelector.Entry);
        for (var retried = false; ; retried = true)
        {
            VariantAnswer answer;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                answer = await variants.GetAsync(asset, request, snapshot, context.RequestAborted);
            }
            catch (VariantSourceGoneException) when (!retried)
            {
                asset = await FindAgainAsync(context, assets, address, query);
                continue;
            }
            catch (VariantSourceGoneException gone)
            {
                throw assets.SourceMissing(asset, gone);
            }
            context.Response.Headers[ServerTimingHeader.Name] =
                ServerTimingHeader.Value(answer, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            // `redirect` with the default strategy `none` serves the bytes like `content` (API.md §3), and so does a variant
            // that was not stored (no object to point at).
            if (address.ReturnFormat == ReturnFormat.Redirect && policy.ReturnFormat.Redirect.Strategy != RedirectStrategy.None
                && answer.Variant.UnstoredBytes is null)
            {
                StoreRedirect.Write(context, policy.ReturnFormat.Redirect, answer, presigner, cacheControl);
                return;
            }
            if (await ContentResponse.TryWriteAsync(context, assets, asset, answer, download: address.ReturnFormat == ReturnFormat.Download,
                    cacheControl))
            {
                if (remembered is not null) variants.Remember(remembered.Key, remembered.Mark, snapshot, asset, answer);
                return;
            }
            if (retried) throw assets.ContentMissing(answer.Variant);
            asset = await FindAgainAsync(context, assets, address, query);
        }
    }

    /// <summary>Serves a remembered hit; false, with nothing sent, when its bytes are gone (the request then resolves afresh).</summary>
    private static async Task<bool> ServeRememberedAsync(HttpContext context, AssetCatalog assets, AssetAddress address, RememberedHit hit)
    {
        context.Response.Headers[ServerTimingHeader.Name] = ServerTimingHeader.Value(hit.Answer, TimeSpan.Zero);
        var cacheControl = HttpCaching.CacheControl(hit.Snapshot.Policy.CacheControl, entryAddressed: address.Selector is AssetSelector.Entry);
        if (await ContentResponse.TryWriteAsync(context, assets, hit.Asset, hit.Answer, download: address.ReturnFormat == ReturnFormat.Download,
                cacheControl))
            return true;
        assets.Forget(address.Path);
        return false;
    }

    private static async Task<AssetRecord> FindAgainAsync(HttpContext context, AssetCatalog assets, AssetAddress address, AssetQueryString query)
    {
        assets.Forget(address.Path);
        return (await FindAsync(assets, address, query, 1, VariantScope.Original, context.RequestAborted))[0];
    }

    private static async Task<IReadOnlyList<AssetRecord>> FindAsync(AssetCatalog assets, AssetAddress address, AssetQueryString query, int limit,
        VariantScope scope, CancellationToken cancellationToken)
    {
        var found = await assets.FindAsync(address.Path, address.Selector, limit, query.Labels, scope, cancellationToken);
        if (found.Count == 0)
            throw AssetException.NotFound(address.Selector is AssetSelector.Entry entry
                ? $"No asset at {address.Path} has entry id {entry.EntryId}{LabelNote(query)}."
                : $"No asset is stored at {address.Path}{LabelNote(query)}.");
        return found;
    }

    /// <summary>PUT …/-/entry/{id}: replaces alt, labels and tags from a JSON body (absent fields are cleared).</summary>
    private static async Task<IResult> UpdateAsync(HttpContext context, AssetCatalog assets)
    {
        var address = AssetAddress.Parse(PathAfterPrefix(context), context.Request.Method);
        if (address.Selector is not AssetSelector.Entry entry)
            throw AssetException.BadRequest("PUT replaces one asset's information: use /-/entry/{id}.",
                new Dictionary<string, string[]> { ["selectors"] = ["PUT needs /-/entry/{id}"] });
        if (context.Request.Query.Count > 0)
            throw AssetException.BadRequest("PUT takes no query parameters.",
                context.Request.Query.Keys.ToDictionary(k => k, _ => new[] { "not allowed with PUT" }));
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new AssetException(AssetProblemKind.UnsupportedMediaType, "Unsupported media type",
                "PUT takes application/json: {\"alt\": …, \"labels\": {…}, \"tags\": […]}.");
        var metadata = await MetadataJson.ReadAsync(context.Request.Body, context.RequestAborted);
        var updated = await assets.UpdateAsync(address.Path, entry.EntryId, metadata, context.RequestAborted)
            ?? throw AssetException.NotFound($"No asset at {address.Path} has entry id {entry.EntryId}.");
        return Results.Json(AssetRepresentations.Info(updated));
    }

    /// <summary>DELETE: records at once, objects through the outbox; always 204, also when nothing matched (idempotent).</summary>
    private static async Task<IResult> DeleteAsync(HttpContext context, AssetCatalog assets)
    {
        var address = AssetAddress.Parse(PathAfterPrefix(context), context.Request.Method);
        var query = AssetQueryString.Parse(context.Request.Query);
        var errors = new Dictionary<string, string[]>();
        foreach (var name in query.Transformation.Keys) errors[name] = ["transformation parameters do not apply to DELETE"];
        if (query.Limit is not null && (address.Recursive || address.Selector is AssetSelector.Entry))
            errors["limit"] = [address.Recursive ? "recursive deletes everything below the path; limit does not apply"
                : "entry/{id} selects exactly one asset; limit does not apply"];
        if (errors.Count > 0) throw AssetException.BadRequest("The query string does not fit this request.", errors);

        await assets.DeleteAsync(address.Path, address.Selector, address.Recursive, query.Limit ?? 1, query.Labels, context.RequestAborted);
        return Results.NoContent();
    }

    private static void CheckQueryFits(AssetAddress address, AssetQueryString query)
    {
        var errors = new Dictionary<string, string[]>();
        if (query.Limit is not null && address.ReturnFormat != ReturnFormat.Info)
            errors["limit"] = ["only applies to info (and DELETE)"];
        if (address.ReturnFormat == ReturnFormat.Info)
            foreach (var name in query.Transformation.Keys) errors[name] = ["transformation parameters do not apply to info"];
        if (address.Selector is AssetSelector.Entry && query.Limit is not null)
            errors["limit"] = ["entry/{id} selects exactly one asset; limit does not apply"];
        if (errors.Count > 0) throw AssetException.BadRequest("The query string does not fit this request.", errors);
    }

    private static bool IsJson(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static string LabelNote(AssetQueryString query) =>
        query.Labels.Count == 0 ? "" : " with the requested labels";

    public static string PathAfterPrefix(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        return path.Length > Prefix.Length ? path[Prefix.Length..] : "";
    }

    private static string PublicUrl(DirektConfiguration configuration) => configuration.Options.Http.PublicUrl.TrimEnd('/');
}
