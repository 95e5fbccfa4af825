namespace Direkt.Assets;

/// <summary>The folder where uploads wait while they are probed (the system temporary folder unless a host chooses one).</summary>
public sealed record SpoolLocation(string Folder)
{
    public static SpoolLocation SystemTemp { get; } = new(Path.GetTempPath());

    /// <summary>Opens a new spool file. A seam for fault injection only (tests write to /dev/full for a real ENOSPC).</summary>
    public Func<string, Stream> Create { get; init; } = path =>
        new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
}
