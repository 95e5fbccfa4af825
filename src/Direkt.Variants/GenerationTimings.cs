namespace Direkt.Variants;

/// <summary>
/// Where one generation spent its time, for the Server-Timing header of the request that started it: waiting in the synchronous
/// queue for a worker, reading and rendering (the memory-budget admission and a store copy of the original included), and
/// writing the store (object, then record). Filled by the worker as it goes; read once the generation completed. Only misses
/// make one: a hit never allocates it.
/// </summary>
public sealed class GenerationTimings
{
    public TimeSpan QueueWait { get; internal set; }
    public TimeSpan Render { get; internal set; }
    public TimeSpan Store { get; internal set; }
}
