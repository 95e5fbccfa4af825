namespace Direkt.Storage;

/// <summary>
/// The request's own input cannot be stored or searched (a NUL character PostgreSQL refuses, a value past a database limit,
/// too many label filters): the client's mistake, answered 400 by the HTTP layer, never an outage nor a 500.
/// </summary>
public sealed class StorageInputRejectedException(string message, Exception? inner = null) : Exception(message, inner);
