using Direkt.Imaging;
using Direkt.Scheduling;

namespace Direkt.Assets;

/// <summary>
/// Translates what image work can fail with — the image itself, the worker pool, the memory budget — into the problem a
/// client can act on. One place for the probe at upload and for variant generation alike.
/// </summary>
internal static class ImageWorkFailures
{
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (Translate(e) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>
    /// Image work on an upload (probe, placeholders, preprocessing): a decode past `job-timeout` is the image's fault there
    /// (the same bytes would time out again), so it is 422 `decode-timeout`, not the 503 a variant gets.
    /// </summary>
    public static Task<T> TranslateUploadAsync<T>(Func<Task<T>> work) => TranslateAsync(async () =>
    {
        try
        {
            return await work();
        }
        catch (JobTimeoutException e)
        {
            throw new AssetException(AssetProblemKind.UnprocessableContent, "Image too slow to decode",
                $"Decoding the upload took longer than the job timeout; retrying the same bytes cannot help. {e.Message}",
                inner: e, cause: ProblemCauses.DecodeTimeout);
        }
    });

    private static AssetException? Translate(Exception e) => e switch
    {
        UnsupportedImageException => new(AssetProblemKind.UnsupportedMediaType, "Unsupported media type", e.Message, inner: e),
        MissingDecoderException => new(AssetProblemKind.UnsupportedMediaType, "No decoder for this format", e.Message, inner: e, cause: ProblemCauses.MissingDecoder),
        ImageTooLargeException => new(AssetProblemKind.PayloadTooLarge, "Image too large", e.Message, inner: e, cause: ProblemCauses.TooManyPixels),
        InsufficientMemoryBudgetException => new(AssetProblemKind.PayloadTooLarge, "Image too large", e.Message, inner: e, cause: ProblemCauses.OverBudget),
        OutputTooLargeException => new(AssetProblemKind.BadRequest, "Output too large", e.Message, inner: e, cause: ProblemCauses.OutputTooLarge),
        UnprocessableImageException => new(AssetProblemKind.UnprocessableContent, "Cannot transform this image", e.Message, inner: e),
        CorruptImageException => new(AssetProblemKind.UnprocessableContent, "Corrupt image", e.Message, inner: e),
        ImageTooComplexException => new(AssetProblemKind.UnprocessableContent, "Image too complex", e.Message, inner: e, cause: ProblemCauses.TooManyScans),
        SchedulerOverloadedException => new(AssetProblemKind.Unavailable, "Busy", e.Message, inner: e, cause: ProblemCauses.QueueFull),
        IOException io when TemporaryDisk.IsFull(io) => TemporaryDisk.Failure(io), // copying an original for generation
        TemporarySpaceExhaustedException => TemporaryDisk.LimitReached(e),
        JobTimeoutException => new(AssetProblemKind.Unavailable, "Timed out", e.Message, inner: e, cause: ProblemCauses.JobTimeout),
        _ => null,
    };
}
