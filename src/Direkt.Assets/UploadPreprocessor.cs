using Direkt.Assets.Transformations;
using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;
using Direkt.Imaging;
using Direkt.Imaging.Rendering;
using Direkt.Imaging.Transformations;
using Direkt.Scheduling;

namespace Direkt.Assets;

/// <summary>
/// The path's `transform.preprocessing` rule: rewrites an upload before it is stored, so the rewritten image becomes the
/// original variant. `max-width`/`max-height` bound the size (never enlarging), `format` re-encodes, and any other URL
/// parameter (q, strip, cs, …) applies as in a variant. The work runs in the synchronous queue, under the memory budget.
/// </summary>
public sealed class UploadPreprocessor(
    VariantRenderer renderer, FormatCapabilities capabilities, WorkerPool pool, MemoryBudget memory)
{
    /// <summary>The rule as URL parameters; max-width/max-height become w/h with fit=fit unless w/h are given.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(PreprocessingPolicy policy)
    {
        var parameters = new Dictionary<string, string>(policy.ToParameters(), StringComparer.Ordinal);
        if (policy.MaxWidth is { } maxWidth && !parameters.ContainsKey("w")) parameters["w"] = maxWidth.ToString();
        if (policy.MaxHeight is { } maxHeight && !parameters.ContainsKey("h")) parameters["h"] = maxHeight.ToString();
        if ((policy.MaxWidth is not null || policy.MaxHeight is not null) && !parameters.ContainsKey("fit")) parameters["fit"] = "fit";
        return parameters;
    }

    /// <summary>
    /// Rewrites <paramref name="sourceFile"/> into <paramref name="outputFile"/> when the path preprocesses; returns what was
    /// written, or null when the upload is to be stored as sent.
    /// </summary>
    /// <param name="configuration">The snapshot the whole upload runs under.</param>
    public async Task<RenderedImage?> RunAsync(DirektConfiguration configuration, string assetPath, string sourceFile, ImageAttributes image,
        string outputFile, CancellationToken cancellationToken)
    {
        var policy = configuration.Paths.Resolve(assetPath).Transform.Preprocessing;
        if (!policy.Enabled) return null;
        var parameters = Parameters(policy);
        if (parameters.Count == 0) return null;
        // Checked at start-up (TransformationSettingsCheck), so a failure here is a bug, not the client's.
        var parsed = TransformationParser.TryParse(parameters, configuration.Options.Limits.MaxOutputDimension, out _)
            ?? throw new InvalidOperationException($"the preprocessing rule of {assetPath} does not parse");
        // Without a format the upload keeps its own, if this build can write it; otherwise it becomes a JPEG (or PNG with alpha kept).
        var format = parsed.Format ?? (capabilities.CanWrite(image.Format) ? image.Format.Name : "png");
        // Unlike a variant, a preprocessed original keeps its metadata unless the rule sets `strip` (it is the original).
        var transformation = TransformationNormalizer.Normalize(parsed with { Format = format, Strip = parsed.Strip ?? StripMetadata.None }, format);

        var limits = new OutputLimits(configuration.Options.Limits.MaxOutputDimension, configuration.Options.Limits.MaxOutputPixels);
        RenderedImage? rendered = null;
        await ImageWorkFailures.TranslateUploadAsync(async () =>
        {
            await pool.RunSynchronousAsync(new WorkItem("preprocess", async token =>
            {
                var plan = await renderer.PlanAsync(sourceFile, transformation, limits, token);
                EncodedImage encoded;
                using (await memory.AcquireAsync(plan.EstimatedBytes, token))
                    encoded = await renderer.RenderAsync(sourceFile, plan, token);
                await File.WriteAllBytesAsync(outputFile, encoded.Bytes, token);
                rendered = encoded.Image;
            }, cancellationToken), cancellationToken);
            return 0;
        });
        return rendered;
    }
}
