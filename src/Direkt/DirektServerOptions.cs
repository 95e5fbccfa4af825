using System.Net;
using Direkt.Configuration.Loading;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt;

/// <summary>How to start a server in this process: the CLI uses the defaults; tests choose the address and inject faults.</summary>
internal sealed record DirektServerOptions
{
    public required ConfigurationSource Configuration { get; init; }

    /// <summary>Null listens on every interface (the server default); tests use 127.0.0.1.</summary>
    public IPAddress? ListenAddress { get; init; }

    /// <summary>Where log events go; null is standard output (tests capture it).</summary>
    public TextWriter? LogOutput { get; init; }

    /// <summary>Runs after Direkt's registrations, so a test can replace a store with a fault-injecting one.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
