namespace Direkt.Http.Observability;

/// <summary>
/// One top-level entry of GET /stats: <c>{ Name: value }</c>, the value serialized as camelCase JSON. Each part registers its
/// sections in DI (<c>services.AddSingleton&lt;IStatsSection, …&gt;()</c>); /stats reads them all on every request, so a
/// section must be cheap (cache anything that is not).
/// </summary>
public interface IStatsSection
{
    string Name { get; }

    ValueTask<object?> ReadAsync(CancellationToken cancellationToken);
}
