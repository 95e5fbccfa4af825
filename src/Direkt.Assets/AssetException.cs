namespace Direkt.Assets;

/// <summary>What went wrong, in terms a client can act on; the HTTP layer maps each kind to a status code.</summary>
public enum AssetProblemKind
{
    BadRequest,
    NotFound,
    NotAcceptable,
    PayloadTooLarge,
    UnsupportedMediaType,
    UnprocessableContent,
    Unavailable,
    /// <summary>A URL source failed upstream (502).</summary>
    BadGateway,
    /// <summary>A URL source took longer than source.url.timeout (504).</summary>
    GatewayTimeout,
    /// <summary>The temporary disk is full (507): nothing was stored, the request can be repeated once space is freed.</summary>
    InsufficientStorage,
}

/// <summary>A failure caused by the request or by the state of the stores. Messages are safe to show to clients.</summary>
/// <param name="cause">The problem type's name when the status alone does not say what happened (queue-full, job-timeout,
/// too-many-pixels …: the list is in docs/api.md); null uses the status' general type.</param>
public sealed class AssetException(
    AssetProblemKind kind, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null, Exception? inner = null,
    string? cause = null)
    : Exception(detail, inner)
{
    public AssetProblemKind Kind { get; } = kind;
    public string? Cause { get; } = cause;
    public string Title { get; } = title;
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    public static AssetException BadRequest(string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(AssetProblemKind.BadRequest, "Bad request", detail, errors);

    public static AssetException NotFound(string detail) => new(AssetProblemKind.NotFound, "Not found", detail);
}
