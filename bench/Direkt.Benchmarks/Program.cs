using Direkt.Benchmarks;

// dotnet run -c Release --project bench/Direkt.Benchmarks -- memory [megapixels] [--progressive]
var command = args.FirstOrDefault() ?? "memory";
switch (command)
{
    case "memory":
        var megapixels = args.Skip(1).FirstOrDefault(a => int.TryParse(a, out _)) is { } mp ? int.Parse(mp) : 100;
        return await MemoryBenchmark.RunAsync(megapixels, args.Contains("--progressive"));
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}'; available: memory");
        return 2;
}
