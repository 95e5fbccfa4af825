using System.Runtime.CompilerServices;

namespace Direkt.Storage.Objects;

/// <summary>
/// Objects as files: `{root}/{bucket}/{key}`. Writes go to a temporary file in the bucket's `.tmp` folder and are renamed
/// into place after a flush, so a reader never sees half an object and a failed write leaves nothing behind.
/// </summary>
internal sealed class FileSystemObjectStore(string root) : IObjectStore, ILocalObjectFiles
{
    private const string TempFolder = ".tmp";
    private const int BufferSize = 81920;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var target = PathOf(bucket, key);
        var temp = Path.Combine(Root, bucket, TempFolder, Guid.NewGuid().ToString("N"));
        try
        {
            var length = await WriteTempAsync(temp, content, cancellationToken);
            Storing(() =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(temp, target, overwrite: true);
            }, bucket, key);
            return length;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    // Failures of the source stream propagate as they are (the caller's problem); failures of our disk are a store outage.
    private static async Task<long> WriteTempAsync(string temp, Stream content, CancellationToken cancellationToken)
    {
        FileStream file = null!;
        Storing(() =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
            file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        }, "temporary", temp);
        await using (file)
        {
            var buffer = new byte[BufferSize];
            long length = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new StorageUnavailableException("cannot write to the object store", e);
                }
                length += read;
            }
            Storing(() => file.Flush(flushToDisk: true), "temporary", temp);
            return length;
        }
    }

    private static void Storing(Action action, string bucket, string key)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"cannot write object {bucket}/{key}", e);
        }
    }

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Task.FromResult(Open(bucket, key, stream => new StoredObject(stream, stream.Length)));

    public Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken cancellationToken) =>
        Task.FromResult(Open(bucket, key, stream =>
        {
            try
            {
                var (start, count) = ObjectRanges.Clamp(offset, length, stream.Length);
                stream.Seek(start, SeekOrigin.Begin);
                return new StoredObject(new ReadLimitStream(stream, count), count);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }));

    private StoredObject? Open(string bucket, string key, Func<FileStream, StoredObject> wrap)
    {
        var path = PathOf(bucket, key);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        // A folder at the key's place (the key is a prefix of other keys) is not an object either.
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException
                                  || (e is UnauthorizedAccessException && Directory.Exists(path)))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"cannot read object {bucket}/{key}", e);
        }
        return wrap(stream);
    }

    public string? LocalPath(string bucket, string key)
    {
        var path = PathOf(bucket, key);
        return File.Exists(path) ? path : null;
    }

    public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(bucket, key));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var path = PathOf(bucket, key);
        try
        {
            if (!File.Exists(path)) return Task.FromResult(false);
            File.Delete(path);
            return Task.FromResult(true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"cannot delete object {bucket}/{key}", e);
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidateBucket(bucket);
        var bucketPath = Path.Combine(Root, bucket);
        if (!Directory.Exists(bucketPath)) yield break;
        foreach (var file in Directory.EnumerateFiles(bucketPath, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(bucketPath, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(TempFolder + "/", StringComparison.Ordinal) || !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            yield return key;
        }
        await Task.CompletedTask;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var folder = Path.Combine(Root, ".health");
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"the object store folder {Root} is not writable", e);
        }
    }

    private string PathOf(string bucket, string key)
    {
        ObjectKeys.Validate(bucket, key);
        var path = Path.GetFullPath(Path.Combine(Root, bucket, key.Replace('/', Path.DirectorySeparatorChar)));
        // Belt and braces: validation already refuses every escaping form.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"invalid object key '{key}'", nameof(key));
        return path;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
