namespace Direkt.Benchmarks.SideBySide;

/// <summary>
/// <c>side-by-side [--rounds 3] [--corpus DIR] [--out FILE] [--hit-seconds 8] [--miss-seconds 15] [--skip-quality]</c>;
/// bench/run passes them on and provisions the tools first.
/// </summary>
internal sealed record SideBySideOptions(string Repository, string Corpus, string Peers, string Out, int Rounds,
    TimeSpan HitDuration, TimeSpan MissDuration, bool SkipQuality)
{
    public static SideBySideOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name) => args.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < args.Count).Select(x => args[x.i + 1]).LastOrDefault();
        var repository = FindRepository();
        var corpus = Path.GetFullPath(Value("--corpus") ?? Path.Combine(repository, "..", "corpus"));
        return new SideBySideOptions(
            repository,
            corpus,
            Path.Combine(repository, "bench", "peers"),
            Path.GetFullPath(Value("--out") ?? Path.Combine(repository, "artifacts", "bench", "side-by-side.md")),
            int.Parse(Value("--rounds") ?? "3"),
            TimeSpan.FromSeconds(int.Parse(Value("--hit-seconds") ?? "8")),
            TimeSpan.FromSeconds(int.Parse(Value("--miss-seconds") ?? "15")),
            args.Contains("--skip-quality"));
    }

    // The harness runs from its build output; the wrk script and the peers live in the source tree above it.
    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Direkt.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
