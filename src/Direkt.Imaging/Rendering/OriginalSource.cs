namespace Direkt.Imaging.Rendering;

/// <summary>
/// The original a job renders from: its identity, when it has one that never changes meaning (a stored object's bucket and
/// key: objects are written once), and its file, made on first need. A job served from a decoded copy in memory
/// (<see cref="DecodedOriginals"/>) never asks for the file, so an original in S3 is not even fetched.
/// </summary>
public sealed class OriginalSource
{
    private readonly Func<CancellationToken, Task<string>> _file;
    private Task<string>? _made;

    /// <param name="identity">Null: never kept decoded (an upload not stored yet).</param>
    /// <param name="file">Makes the local file (a path in place, or a temporary copy); called at most once.</param>
    public OriginalSource(string? identity, Func<CancellationToken, Task<string>> file)
    {
        Identity = identity;
        _file = file;
    }

    /// <summary>A local file with no identity: always decoded from the file.</summary>
    public static OriginalSource Of(string path) => new(null, _ => Task.FromResult(path));

    public string? Identity { get; }

    /// <summary>The local file; one job uses its source from one flow at a time, so this needs no lock.</summary>
    public Task<string> FileAsync(CancellationToken cancellationToken) => _made ??= _file(cancellationToken);
}
