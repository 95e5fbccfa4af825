namespace Direkt.Http.Observability;

/// <summary>Sees every finished request (the host's metrics register one; without it nothing is measured).</summary>
public interface IHttpRequestObserver
{
    /// <param name="method">GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH or OTHER (a fixed set: bounded label values).</param>
    /// <param name="route">The matched endpoint's route pattern (never the raw path), or "unmatched".</param>
    void Completed(string method, string route, int status, TimeSpan elapsed);
}
