using Direkt.Scheduling;

namespace Direkt.Assets;

/// <summary>
/// Copies an incoming body to a temporary file while counting bytes, so that the bytes can be sniffed and probed by libvips
/// before anything reaches the object store, and an oversize body is refused mid-stream with nothing stored. Its bytes are
/// reserved in <see cref="TemporarySpace"/> while they are written and released when the file is deleted.
/// </summary>
public sealed class SpooledUpload : IAsyncDisposable
{
    private readonly TemporarySpace _space;
    private long _reserved;

    private SpooledUpload(string path, long length, TemporarySpace space, long reserved)
    {
        FilePath = path;
        Length = length;
        _space = space;
        _reserved = reserved;
    }

    public string FilePath { get; }
    public long Length { get; }

    internal static async Task<SpooledUpload> WriteAsync(
        Stream content, long maxBytes, SpoolLocation location, TemporarySpace space, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(location.Folder);
        var path = Path.Combine(location.Folder, $"direkt-upload-{Guid.NewGuid():N}");
        long reserved = 0;
        try
        {
            var file = location.Create(path);
            long total = 0;
            try
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                        throw new AssetException(AssetProblemKind.PayloadTooLarge, "Payload too large",
                            $"The image is larger than the limit of {maxBytes} bytes.", cause: ProblemCauses.UploadTooLarge);
                    Reserve(space, read);
                    reserved += read;
                    await WriteAsync(file, buffer.AsMemory(0, read), cancellationToken);
                }
                if (total == 0)
                    throw new AssetException(AssetProblemKind.UnsupportedMediaType, "Unsupported media type", "The upload is empty.");
                await Flush(file, cancellationToken);
            }
            finally
            {
                // A stream whose write failed still holds the bytes and fails again here; that is the disk's failure, and it
                // must not surface as a bare IOException (which would read as a malformed body).
                try { await file.DisposeAsync(); }
                catch (IOException e) { throw TemporaryDisk.Failure(e); }
            }
            return new SpooledUpload(path, total, space, reserved);
        }
        catch
        {
            File.Delete(path);
            space.Release(reserved);
            throw;
        }
    }

    // Past limits.max-temporary-bytes: the server is busy with other large files, not the client's fault (503, retry).
    private static void Reserve(TemporarySpace space, long bytes)
    {
        try
        {
            space.Reserve(bytes);
        }
        catch (TemporarySpaceExhaustedException e)
        {
            throw TemporaryDisk.LimitReached(e);
        }
    }

    /// <summary>Spools what <paramref name="fill"/> writes (a URL fetch, which enforces its own size limit while streaming).</summary>
    internal static async Task<SpooledUpload> FillAsync(SpoolLocation location, TemporarySpace space, long maxBytes, Func<Stream, Task> fill)
    {
        Directory.CreateDirectory(location.Folder);
        var path = Path.Combine(location.Folder, $"direkt-upload-{Guid.NewGuid():N}");
        // The fetch enforces maxBytes while streaming; its reservation is the most it can write, trimmed to the real size after.
        Reserve(space, maxBytes);
        var reserved = maxBytes;
        try
        {
            long length;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await fill(file);
                length = file.Length;
            }
            if (length == 0)
                throw new AssetException(AssetProblemKind.UnsupportedMediaType, "Unsupported media type", "The URL answered with an empty body.");
            space.Release(reserved - length);
            return new SpooledUpload(path, length, space, length);
        }
        catch
        {
            File.Delete(path);
            space.Release(reserved);
            throw;
        }
    }

    // A full or failing temporary disk is the server's problem (507 full, else 503), never blamed on the client's body.
    private static async Task WriteAsync(Stream file, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await file.WriteAsync(data, cancellationToken);
        }
        catch (IOException e)
        {
            throw TemporaryDisk.Failure(e);
        }
    }

    // The last buffered bytes reach the disk here, not in Dispose, so a full disk is answered like any other write.
    private static async Task Flush(Stream file, CancellationToken cancellationToken)
    {
        try
        {
            await file.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw TemporaryDisk.Failure(e);
        }
    }

    internal Stream OpenRead() =>
        new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public ValueTask DisposeAsync()
    {
        try { File.Delete(FilePath); } catch (IOException) { /* a leftover temp file is harmless; the OS cleans /tmp */ }
        _space.Release(Interlocked.Exchange(ref _reserved, 0));
        return ValueTask.CompletedTask;
    }
}
