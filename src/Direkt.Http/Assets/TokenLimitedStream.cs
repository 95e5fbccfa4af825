using Direkt.Assets;

namespace Direkt.Http.Assets;

/// <summary>
/// A read-only view of an upload part that fails once more than an upload token's `max_bytes` have come through, so an oversize
/// image is refused while it streams (413 `upload-token-too-large`) and the rest of the body is never read.
/// </summary>
internal sealed class TokenLimitedStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Count(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Count(read);
        return read;
    }

    private void Count(int read)
    {
        _read += read;
        if (_read > maxBytes)
            throw new AssetException(AssetProblemKind.PayloadTooLarge, "Payload too large",
                $"The image is larger than the upload token's max_bytes ({maxBytes} bytes).", cause: ProblemCauses.UploadTokenTooLarge);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
