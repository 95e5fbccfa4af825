namespace Direkt.Storage.Objects;

/// <summary>
/// A store whose objects are plain local files: readers that can use a path (the kernel's sendfile for hits, libvips' own
/// file access) skip the store's stream. Null when the object does not exist as a file (absent, or a folder at its place).
/// </summary>
public interface ILocalObjectFiles
{
    string? LocalPath(string bucket, string key);
}
