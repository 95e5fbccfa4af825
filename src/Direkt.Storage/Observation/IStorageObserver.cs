namespace Direkt.Storage.Observation;

/// <summary>
/// Watches store operations (metrics). Registered by the host when it wants them; <see cref="StorageServices.AddDirektStorage"/>
/// then wraps the object store and the record store so that every call reports its outcome and duration. Each
/// (store, operation) pair is resolved once, when the store is built, so a call costs no lookup.
/// </summary>
public interface IStorageObserver
{
    /// <param name="store">The provider's direkt.conf name: filesystem, s3, in-memory, sqlite, postgresql.</param>
    /// <param name="operation">A fixed operation name, e.g. put, get, find_variant.</param>
    IStorageOperationSink Operation(string store, string operation);
}

/// <summary>Receives the completions of one operation of one store.</summary>
public interface IStorageOperationSink
{
    void Completed(StorageOutcome outcome, TimeSpan elapsed);
}

/// <summary>How a store operation ended.</summary>
public enum StorageOutcome
{
    /// <summary>It did what was asked.</summary>
    Ok,
    /// <summary>What it looked for does not exist (a null read, a delete of nothing).</summary>
    Missing,
    /// <summary>It threw (an outage, refused input, a bug).</summary>
    Error,
    /// <summary>The caller gave up (its token was cancelled).</summary>
    Cancelled,
}
