using Direkt.Storage.Records;

namespace Direkt.Storage.Objects;

/// <summary>
/// Names new objects `{deployment id}/{originals|variants}/{UUIDv7}.{ext}`: never derived from a path, ordered by creation
/// time, and under a prefix that belongs to this deployment (its database's id, <see cref="IDeploymentRecords"/>), so two
/// deployments sharing a bucket never sweep each other's objects (<see cref="Outbox.OrphanSweeper"/>). Objects named before
/// deployment ids (`originals/…`, `variants/…`) stay readable through their records and are never swept.
/// </summary>
public sealed class ObjectKeyNames(IDeploymentRecords deployment)
{
    private string? _prefix;

    /// <summary>`{deployment id}/`: every key this deployment names starts with it (read from the records once).</summary>
    public async ValueTask<string> PrefixAsync(CancellationToken cancellationToken) =>
        _prefix ??= await deployment.DeploymentIdAsync(cancellationToken) + "/";

    /// <summary>A new key for a stored original.</summary>
    public async ValueTask<string> NewOriginalAsync(string extension, CancellationToken cancellationToken) =>
        $"{await PrefixAsync(cancellationToken)}originals/{Guid.CreateVersion7():N}.{extension}";

    /// <summary>A new key for a generated variant.</summary>
    public async ValueTask<string> NewVariantAsync(string extension, CancellationToken cancellationToken) =>
        $"{await PrefixAsync(cancellationToken)}variants/{Guid.CreateVersion7():N}.{extension}";
}
