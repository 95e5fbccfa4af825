using System.Net;

namespace Direkt.Client;

/// <summary>A stream body that reports the bytes written to the connection so far.</summary>
internal sealed class ProgressContent(Stream source, IProgress<long>? progress) : HttpContent
{
    private const int BufferSize = 64 * 1024;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long sent = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            sent += read;
            progress?.Report(sent);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = source.CanSeek ? source.Length - source.Position : -1;
        return source.CanSeek;
    }
}
