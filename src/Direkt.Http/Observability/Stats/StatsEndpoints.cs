using System.Reflection;
using System.Text.Json;
using Direkt.Http.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Http.Observability.Stats;

/// <summary>GET /stats: what the server is doing now, as one JSON document made of every registered <see cref="IStatsSection"/>.</summary>
public static class StatsEndpoints
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly string Version =
        typeof(StatsEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    /// <summary>The sections of the parts /stats knows about (scheduling, variants, memory, storage); other parts add their own.</summary>
    public static IServiceCollection AddDirektStats(this IServiceCollection services)
    {
        services.AddSingleton(new StatsClock(TimeProvider.System)); // made now: uptime counts from the server's start
        services.AddSingleton<IStatsSection, WorkersStats>();
        services.AddSingleton<IStatsSection, QueuesStats>();
        services.AddSingleton<IStatsSection, GenerationStats>();
        services.AddSingleton<IStatsSection, CacheStats>();
        services.AddSingleton<IStatsSection, MemoryStats>();
        services.AddSingleton<IStatsSection, BucketStats>();
        return services;
    }

    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/stats", [HttpMethods.Get], WriteAsync).WithAccess(AccessRule.Open).OnAdminPort()
            .WithName("Stats").WithSummary("Live server statistics as JSON: workers, queues, generations, cache, memory, buckets, jobs");
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context, IEnumerable<IStatsSection> sections, StatsClock clock)
    {
        var token = context.RequestAborted;
        // Built in memory (a few hundred bytes), then written at once: Kestrel refuses synchronous writes to the body.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", clock.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("version", Version);
            json.WriteNumber("uptimeSeconds", Math.Round(clock.Time.GetElapsedTime(clock.Started).TotalSeconds, 1));
            foreach (var section in Distinct(sections))
            {
                json.WritePropertyName(section.Name);
                JsonSerializer.Serialize(json, await section.ReadAsync(token), Json);
            }
            json.WriteEndObject();
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, token);
    }

    // One entry per name (duplicate keys are not JSON): a later registration replaces an earlier one, in the earlier's place.
    internal static IEnumerable<IStatsSection> Distinct(IEnumerable<IStatsSection> sections)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordered = new List<IStatsSection>();
        foreach (var section in sections)
        {
            if (byName.TryGetValue(section.Name, out var index)) ordered[index] = section;
            else
            {
                byName[section.Name] = ordered.Count;
                ordered.Add(section);
            }
        }
        return ordered;
    }
}

/// <summary>When this server started (its uptime), on the host's clock.</summary>
internal sealed class StatsClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;
    public long Started { get; } = time.GetTimestamp();
}
