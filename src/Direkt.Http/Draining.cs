using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Direkt.Http;

/// <summary>
/// Whether the server is shutting down. It begins at the stop signal (SIGTERM fires ApplicationStopping first) or when the
/// host's stopping phase starts (a host stopped directly runs that phase first), whichever comes first; from then on `/ready`
/// answers 503 so load balancers send new work elsewhere while running work finishes.
/// </summary>
public sealed class Draining
{
    private readonly ILogger<Draining> _logger;
    private int _draining;

    public Draining(IHostApplicationLifetime lifetime, ILogger<Draining> logger)
    {
        _logger = logger;
        lifetime.ApplicationStopping.Register(Begin);
    }

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    public void Begin()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 0)
            _logger.LogInformation("Draining: /ready answers 503 while running work finishes");
    }
}
