using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NetVips;

namespace Direkt.Benchmarks.SideBySide;

/// <summary>Bytes and SSIM of one tool's output for one format, summed (bytes) and averaged (SSIM) over the photos.</summary>
internal sealed record QualityScore(string Tool, string Format, long Bytes, double Ssim);

/// <summary>
/// Encodes every photo at 800 px wide, q=80, in jpg, webp and avif with Direkt, the `vips thumbnail` CLI and sharp (each
/// with its own defaults otherwise), and scores each output with ffmpeg's SSIM filter against a reference resize of the
/// original (ffmpeg's lanczos to the output's exact size, kept lossless): one reference for all, made by none of the three.
/// Outputs are decoded to PNG with libvips first, since Debian's ffmpeg does not read AVIF. Metadata is stripped by all
/// three (sharp's default, Direkt's default), so the bytes compare encoders; Direkt with strip=none (metadata kept) is counted beside them.
/// </summary>
internal sealed partial class QualityComparison(string folder, string peersFolder)
{
    public static readonly string[] Formats = ["jpg", "webp", "avif"];
    private const int Width = 800, Quality = 80;

    /// <param name="direkt">Direkt's variant of a photo: (photo, format, extra query) → bytes.</param>
    public async Task<List<QualityScore>> RunAsync(IReadOnlyList<string> photos, Func<string, string, string, Task<byte[]>> direkt)
    {
        var scores = new List<QualityScore>();
        foreach (var format in Formats)
        {
            var outputs = new Dictionary<string, List<(string Photo, string File)>>();
            var dir = Directory.CreateDirectory(Path.Combine(folder, format)).FullName;
            string Out(string tool, string photo) => Path.Combine(dir, $"{tool}-{Path.GetFileNameWithoutExtension(photo)}.{format}");

            outputs["Direkt"] = [];
            long keptBytes = 0;
            foreach (var photo in photos)
            {
                await File.WriteAllBytesAsync(Out("direkt", photo), await direkt(photo, format, "&strip=exif,iptc,xmp"));
                outputs["Direkt"].Add((photo, Out("direkt", photo)));
                keptBytes += (await direkt(photo, format, "&strip=none")).Length; // same pixels, metadata kept: bytes only
            }
            scores.Add(new QualityScore("Direkt, metadata kept", format, keptBytes, double.NaN));

            outputs["vips CLI"] = [];
            foreach (var photo in photos)
            {
                // Through a lossless PNG: Debian's vips 8.14.1 ignores `strip` when saving WebP, and would keep the EXIF.
                var resized = Out("vips", photo) + ".resized.png";
                await Tool.RunAsync("vips", ["thumbnail", photo, $"{resized}[strip]", Width.ToString(), "--height", "10000000", "--size", "down"]);
                await Tool.RunAsync("vips", ["copy", resized, $"{Out("vips", photo)}[Q={Quality},strip]"]);
                outputs["vips CLI"].Add((photo, Out("vips", photo)));
            }

            var sharpFormat = format == "jpg" ? "jpeg" : format;
            await Tool.RunAsync("node", [Path.Combine(peersFolder, "sharp-resize.mjs"), Width.ToString(), Quality.ToString(), sharpFormat,
                ..photos.SelectMany(p => new[] { p, Out("sharp", p) })]);
            outputs["sharp"] = photos.Select(p => (p, Out("sharp", p))).ToList();

            foreach (var (tool, files) in outputs)
            {
                var ssims = new List<double>();
                foreach (var (photo, file) in files) ssims.Add(await SsimAsync(photo, file));
                scores.Add(new QualityScore(tool, format, files.Sum(f => new FileInfo(f.File).Length), ssims.Average()));
            }
        }
        return scores;
    }

    private async Task<double> SsimAsync(string original, string encoded)
    {
        var decoded = encoded + ".png";
        int width, height;
        using (var image = Image.NewFromFile(encoded))
        {
            (width, height) = (image.Width, image.Height);
            image.Pngsave(decoded);
        }
        var reference = Path.Combine(folder, $"ref-{Path.GetFileNameWithoutExtension(original)}-{width}x{height}.png");
        if (!File.Exists(reference))
            await Tool.RunAsync("ffmpeg", ["-v", "error", "-y", "-i", original, "-vf", $"scale={width}:{height}:flags=lanczos+accurate_rnd+full_chroma_int", "-frames:v", "1", reference]);
        var output = await Tool.RunAsync("ffmpeg", ["-v", "info", "-nostats", "-i", decoded, "-i", reference, "-lavfi", "ssim", "-f", "null", "-"]);
        var match = SsimAll().Match(output);
        if (!match.Success) throw new InvalidOperationException($"ffmpeg printed no SSIM for {encoded}: {output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"SSIM .*All:([0-9.]+)")]
    private static partial Regex SsimAll();
}

/// <summary>Runs a command-line tool to completion; its standard output and error together, or an exception on failure.</summary>
internal static class Tool
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, bool check = true)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output + await error;
        if (check && process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {text}");
        return text;
    }
}
