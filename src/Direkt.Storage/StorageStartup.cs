namespace Direkt.Storage;

/// <summary>
/// Work a store needs done once before the server accepts requests (schema migrations). Providers register theirs; the host
/// runs every registered task at start, in registration order.
/// </summary>
public interface IStorageStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
