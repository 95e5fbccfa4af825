namespace Direkt.Assets;

/// <summary>
/// What a failing write to the temporary disk (spooled uploads, copies of originals for generation) is answered with: a full
/// disk or quota is 507 `insufficient-storage` (free space, then repeat), any other I/O failure 503.
/// </summary>
internal static class TemporaryDisk
{
    private const int NoSpace = 28;      // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT

    public static bool IsFull(IOException e) => (e.HResult & 0xFFFF) is NoSpace or QuotaExceeded || e.HResult == unchecked((int)0x80070070);

    /// <summary>Past `limits.max-temporary-bytes`: 503 `temporary-space-full` (other large files are being worked on; retry).</summary>
    public static AssetException LimitReached(Exception e) =>
        new(AssetProblemKind.Unavailable, "Temporary space full",
            "The server's temporary files are at their limit (limits.max-temporary-bytes); nothing was stored. Retry shortly.",
            inner: e, cause: ProblemCauses.TemporarySpaceFull);

    public static AssetException Failure(IOException e) => IsFull(e)
        ? new AssetException(AssetProblemKind.InsufficientStorage, "Insufficient storage",
            "The server's temporary disk is full; nothing was stored. Retry once space is freed.", inner: e, cause: ProblemCauses.InsufficientStorage)
        : new AssetException(AssetProblemKind.Unavailable, "Temporary storage unavailable",
            "The server cannot receive uploads right now. Retry later.", inner: e, cause: ProblemCauses.TemporaryStorage);
}
