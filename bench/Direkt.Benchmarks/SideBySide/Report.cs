using System.Globalization;
using System.Text;

namespace Direkt.Benchmarks.SideBySide;

/// <summary>Per-round ratios, their medians, and the markdown table for docs/benchmarks.md.</summary>
internal static class Report
{
    /// <summary>One compared pair: Direkt's measurement against a reference in the same round, on one metric.</summary>
    private sealed record Comparison(string Label, string Direkt, string Reference, bool Latency)
    {
        public double Value(Measurement m) => Latency ? m.P99Ms : m.RequestsPerSecond;
        public double Ratio(Round r) => Value(r.Results[Direkt]) / Value(r.Results[Reference]);
    }

    private static readonly Comparison[] Comparisons =
    [
        new("hits, c=50: req/s, Direkt ÷ nginx static", Keys.DirektHit, Keys.NginxHit, false),
        new("hits, c=50: p99 ms, Direkt ÷ nginx static", Keys.DirektHit, Keys.NginxHit, true),
        new("hits, c=50: req/s, Direkt ÷ Kestrel static files", Keys.DirektHit, Keys.KestrelHit, false),
        new("hits, c=50: p99 ms, Direkt ÷ Kestrel static files", Keys.DirektHit, Keys.KestrelHit, true),
        new("hits, c=50: req/s, asset with 1 000 variants ÷ asset with 1", Keys.ManyHit, Keys.OneHit, false),
        new("misses, c=8: req/s, Direkt ÷ ipx", Keys.DirektMiss, Keys.IpxMiss, false),
        new("misses, c=8: p99 ms, Direkt ÷ ipx", Keys.DirektMiss, Keys.IpxMiss, true),
        new("misses, c=8: variants/s, Direkt ÷ in-process limit", Keys.DirektMiss, Keys.LimitMiss, false),
        new("misses, c=8: req/s, Direkt without decode-cache ÷ ipx", Keys.DirektMissDecoding, Keys.IpxMiss, false),
        new("misses, c=8: p99 ms, Direkt without decode-cache ÷ ipx", Keys.DirektMissDecoding, Keys.IpxMiss, true),
        new("misses, c=8: variants/s, Direkt without decode-cache ÷ in-process limit", Keys.DirektMissDecoding, Keys.LimitMiss, false),
    ];

    public static string RoundRatios(Round round) =>
        "  ratios: " + string.Join("; ", Comparisons.Select(c => $"{c.Label.Split(": ", 2)[1]} {F(c.Ratio(round), 3)}"));

    public static string Markdown(string environment, IReadOnlyList<Round> rounds, IReadOnlyList<QualityScore> quality, int workers, string manyStem, SideBySideOptions o)
    {
        var s = new StringBuilder();
        s.AppendLine(environment);
        s.AppendLine($"- {rounds.Count} round{(rounds.Count == 1 ? "" : "s")}; hits {o.HitDuration.TotalSeconds:0} s and misses {o.MissDuration.TotalSeconds:0} s per contender and round; the in-process limit runs {workers} threads with {DirektServer.VipsThreads(0, workers)} libvips thread(s) each, as Direkt; the 1 000- and 1-variant assets are {manyStem}.jpg");
        s.AppendLine();
        s.AppendLine($"| comparison (each row: Direkt ÷ reference, same round) | Direkt, median | reference, median | ratio, median of rounds | ratio per round |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var c in Comparisons)
        {
            s.AppendLine($"| {c.Label} | {F(Median(rounds.Select(r => c.Value(r.Results[c.Direkt]))), 1)} | " +
                         $"{F(Median(rounds.Select(r => c.Value(r.Results[c.Reference]))), 1)} | **{F(Median(rounds.Select(c.Ratio)), 3)}** | " +
                         $"{string.Join(" · ", rounds.Select(r => F(c.Ratio(r), 3)))} |");
        }
        s.AppendLine($"| Direkt peak RSS (VmHWM) during the miss run, MiB | {F(Median(rounds.Select(r => r.PeakRssBytes / 1048576.0)), 0)} | | | " +
                     $"{string.Join(" · ", rounds.Select(r => F(r.PeakRssBytes / 1048576.0, 0)))} |");
        // A hit list is meant to cycle; a miss list that ran out turned misses into hits.
        var errors = rounds.SelectMany(r => r.Results).Where(x => x.Value.Errors > 0 || (x.Value.Wrapped > 0 && x.Key.StartsWith("misses"))).ToList();
        if (errors.Count > 0)
            s.AppendLine().AppendLine("Warnings: " + string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value.Errors} errors, {(e.Key.StartsWith("misses") ? e.Value.Wrapped : 0)} repeated misses")));

        s.AppendLine().AppendLine("Absolute numbers per round (for reading the ratios only: other minutes are other machines):").AppendLine();
        s.AppendLine($"| contender | {string.Join(" | ", rounds.Select(r => $"round {r.Number}: req/s · p99 ms"))} |");
        s.AppendLine($"|---|{string.Concat(rounds.Select(_ => "---|"))}");
        foreach (var key in rounds[0].Results.Keys)
            s.AppendLine($"| {key} | {string.Join(" | ", rounds.Select(r => $"{F(r.Results[key].RequestsPerSecond, 1)} · {F(r.Results[key].P99Ms, 1)}"))} |");

        if (quality.Count > 0)
        {
            s.AppendLine().AppendLine("Quality at 800 px wide, q=80, metadata stripped, summed over the photos (bytes) and averaged " +
                                      "(SSIM against ffmpeg's lanczos resize of the original); last column: Direkt with `strip=none` (metadata kept; its default strips it):").AppendLine();
            s.AppendLine("| format | Direkt KiB | vips CLI KiB | sharp KiB | Direkt ÷ vips bytes | Direkt ÷ sharp bytes | SSIM Direkt | SSIM vips CLI | SSIM sharp | Direkt KiB, metadata kept |");
            s.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var format in QualityComparison.Formats)
            {
                QualityScore Q(string tool) => quality.Single(q => q.Format == format && q.Tool == tool);
                var (d, v, sh) = (Q("Direkt"), Q("vips CLI"), Q("sharp"));
                s.AppendLine($"| {format} | {F(d.Bytes / 1024.0, 0)} | {F(v.Bytes / 1024.0, 0)} | {F(sh.Bytes / 1024.0, 0)} | {F((double)d.Bytes / v.Bytes, 2)} | " +
                             $"{F((double)d.Bytes / sh.Bytes, 2)} | {F(d.Ssim, 4)} | {F(v.Ssim, 4)} | {F(sh.Ssim, 4)} | {F(Q("Direkt, metadata kept").Bytes / 1024.0, 0)} |");
            }
        }
        return s.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
}
