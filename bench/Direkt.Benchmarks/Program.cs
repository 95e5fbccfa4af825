using Direkt.Benchmarks;

// dotnet run -c Release --project bench/Direkt.Benchmarks -- memory [megapixels] [--progressive]
//                                                          -- throughput [requests]
//                                                          -- latency
var command = args.FirstOrDefault() ?? "memory";
switch (command)
{
    case "memory":
        var megapixels = args.Skip(1).FirstOrDefault(a => int.TryParse(a, out _)) is { } mp ? int.Parse(mp) : 100;
        return await MemoryBenchmark.RunAsync(megapixels, args.Contains("--progressive"));
    case "throughput":
        return await ThroughputBenchmark.RunAsync(args.Skip(1).FirstOrDefault(a => int.TryParse(a, out _)) is { } n ? int.Parse(n) : 120);
    case "latency":
        return await LatencyBenchmark.RunAsync();
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}'; available: memory, throughput, latency");
        return 2;
}
