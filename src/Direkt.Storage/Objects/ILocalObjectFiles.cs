namespace Direkt.Storage.Objects;

/// <summary>
/// An object store whose objects are files on this machine (the filesystem store): image work reads them in place instead
/// of copying them to a temporary file first. Objects are written once under fresh keys and replaced by rename, so a reader
/// never sees a half-written file.
/// </summary>
public interface ILocalObjectFiles
{
    /// <summary>The object's file, or null when it does not exist (or the store keeps no local files).</summary>
    string? LocalPath(string bucket, string key);
}

/// <summary>For stores without local files (S3, in memory): every object is fetched.</summary>
public sealed class NoLocalObjectFiles : ILocalObjectFiles
{
    public static NoLocalObjectFiles Instance { get; } = new();

    public string? LocalPath(string bucket, string key) => null;
}
