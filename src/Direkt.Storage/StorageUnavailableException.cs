namespace Direkt.Storage;

/// <summary>The object store or the database cannot be reached or written right now; the HTTP layer answers 503 + Retry-After.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
