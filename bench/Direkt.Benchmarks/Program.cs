using Direkt.Benchmarks;
using Direkt.Benchmarks.SideBySide;

// dotnet run -c Release --project bench/Direkt.Benchmarks -- memory [megapixels] [--progressive]
//                                                          -- throughput [requests]
//                                                          -- latency
//                                                          -- side-by-side [--rounds 3] [--corpus DIR] …  (bench/run provisions its tools)
// Child processes of side-by-side: -- static-files ROOT PORT, -- thumbnail-limit LIST WORKERS SECONDS
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
    case "side-by-side":
        return await SideBySideBenchmark.RunAsync(SideBySideOptions.Parse(args.Skip(1).ToList()));
    case "static-files":
        return await StaticFileServer.RunAsync(args[1], int.Parse(args[2]));
    case "thumbnail-limit":
        return ThumbnailLimit.Run(args[1], int.Parse(args[2]), int.Parse(args[3]));
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}'; available: memory, throughput, latency, side-by-side");
        return 2;
}
