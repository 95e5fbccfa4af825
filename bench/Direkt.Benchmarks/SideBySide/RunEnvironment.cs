using System.Text.Json;

namespace Direkt.Benchmarks.SideBySide;

/// <summary>What the numbers were measured on: date, commit, machine, and each contender's version.</summary>
internal static class RunEnvironment
{
    public static string Describe(SideBySideOptions o, IReadOnlyList<string> photos, int workers)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?";
        var memoryKib = long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        var commit = Output("git", "-C", o.Repository, "rev-parse", "--short", "HEAD").Trim();
        var dirty = Output("git", "-C", o.Repository, "status", "--porcelain", "--", "src").Trim().Length > 0 ? " (src/ has uncommitted changes)" : "";
        var nginx = Output("nginx", "-v").Trim().Split('/').Last();
        var node = Output("node", "--version").Trim();
        var vips = Output("vips", "--version").Trim();
        var wrk = Output("wrk", "-v").Split(' ').ElementAtOrDefault(1) ?? "?";
        var ffmpeg = Output("ffmpeg", "-version").Split(' ').ElementAtOrDefault(2) ?? "?";
        var libvips = $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";
        return string.Join('\n',
            $"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit `{commit}`{dirty}",
            $"- machine: {Environment.ProcessorCount} cores ({cpu}), {memoryKib / 1048576.0:0} GiB; shared with other builds, hence ratios within one run",
            $"- corpus: {photos.Count} photos from {o.Corpus}/photos ({string.Join(", ", photos.Select(Path.GetFileName))})",
            $"- Direkt: Release build, default configuration ({workers} workers = 2 × cores), libvips {libvips} (NetVips.Native)",
            $"- nginx {nginx} (Debian; {Environment.ProcessorCount} workers, sendfile on, access_log off); wrk {wrk} (Debian)",
            $"- ipx {PackageVersion(o, "ipx")} on sharp {PackageVersion(o, "sharp")} (npm, bench/peers), node {node}",
            $"- quality: {vips} (Debian libvips-tools), ffmpeg {ffmpeg} (Debian)");
    }

    private static string PackageVersion(SideBySideOptions o, string package)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(o.Peers, "node_modules", package, "package.json")));
            return json.RootElement.GetProperty("version").GetString() ?? "?";
        }
        catch (IOException) { return "?"; }
    }

    // A version string for the table: a tool that is missing shows "?" here and fails later, where it is needed.
    private static string Output(string file, params string[] arguments)
    {
        try { return Tool.RunAsync(file, arguments, check: false).GetAwaiter().GetResult(); }
        catch (System.ComponentModel.Win32Exception) { return "?"; }
    }
}
