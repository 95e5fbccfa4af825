using System.Reflection;
using Direkt.Configuration.Loading;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// direkt_build_info{version,commit,config_hash} = 1. The commit comes from the assembly's informational version
/// ("1.2.3+commit", which the SDK writes from git, or from -p:SourceRevisionId=… where there is no .git); the configuration
/// hash follows reloads: the old series is removed when it changes, so exactly one is 1.
/// </summary>
internal static class BuildInfoMetric
{
    public static (string Version, string Commit) Build { get; } = Parse(
        typeof(BuildInfoMetric).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    public static void Register(CollectorRegistry registry, DirektConfigurationMonitor monitor)
    {
        var info = Prometheus.Metrics.WithCustomRegistry(registry).CreateGauge("direkt_build_info",
            "Always 1: the running version, its source commit and a hash of the resolved configuration.", "version", "commit", "config_hash");
        DirektConfiguration? seen = null;
        Gauge.Child? current = null;
        var gate = new object();
        registry.AddBeforeCollectCallback(() =>
        {
            lock (gate)
            {
                var configuration = monitor.Current;
                if (ReferenceEquals(configuration, seen)) return;
                current?.Remove();
                current = info.WithLabels(Build.Version, Build.Commit, ConfigurationFingerprint.Of(configuration));
                current.Set(1);
                seen = configuration;
            }
        });
    }

    internal static (string Version, string Commit) Parse(string? informational)
    {
        if (string.IsNullOrEmpty(informational)) return ("unknown", "unknown");
        var plus = informational.IndexOf('+');
        return plus < 0 ? (informational, "unknown") : (informational[..plus], informational[(plus + 1)..]);
    }
}
