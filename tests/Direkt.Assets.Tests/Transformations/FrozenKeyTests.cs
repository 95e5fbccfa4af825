using System.Globalization;
using Direkt.Assets.Transformations;

namespace Direkt.Assets.Tests.Transformations;

/// <summary>
/// The canonical keys of 1500 seeded random requests over every parameter, frozen in <c>frozen-keys.txt</c> (request,
/// tab, key): a key names a stored variant, so the same request must keep producing the same bytes of key, whatever
/// the code that computes it becomes. (Frozen after `strip` became "strip everything" by default, issue 11.)
/// </summary>
public sealed class FrozenKeyTests
{
    private static readonly string FrozenPath = Path.Combine(AppContext.BaseDirectory, "Transformations", "frozen-keys.txt");

    public static IEnumerable<string> Requests()
    {
        var random = new Random(20261203);
        string Pick(params string[] values) => values[random.Next(values.Length)];
        for (var i = 0; i < 1500; i++)
        {
            var p = new List<string>();
            if (random.Next(2) == 0) p.Add("w=" + random.Next(1, 3000));
            if (random.Next(2) == 0) p.Add("h=" + random.Next(1, 3000));
            var hasBoth = p.Count == 2;
            if (hasBoth && random.Next(3) > 0) p.Add("fit=" + Pick("fit", "fill", "crop", "stretch"));
            if (p.Contains("fit=crop") && random.Next(2) == 0) p.Add("g=" + Pick("center", "entropy", "attention"));
            if (!hasBoth && random.Next(8) == 0) p.Add("g=" + Pick("center", "entropy", "attention"));
            p.Add("format=" + Pick("jpg", "jpeg", "png", "webp", "avif", "gif", "tiff", "jxl", "heic"));
            if (random.Next(2) == 0) p.Add("q=" + random.Next(1, 101));
            if (random.Next(2) == 0) p.Add("r=" + Pick("0", "90", "180", "270", "auto"));
            if (random.Next(2) == 0) p.Add("f=" + Pick("none", "h", "v"));
            if (random.Next(3) == 0) p.Add("filter=" + Pick("none", "grayscale", "sepia", "black_white"));
            if (random.Next(3) == 0) p.Add("blur=" + (random.Next(0, 6000) / 40.0).ToString(CultureInfo.InvariantCulture));
            if (random.Next(3) == 0) p.Add("pad=" + random.Next(0, 1001));
            if (random.Next(3) == 0) p.Add("pad-c=%23" + random.Next(0, 1 << 24).ToString("x6") + Pick("", "00", "80", "ff", "FF"));
            if (random.Next(3) == 0) p.Add("strip=" + Pick("none", "exif", "iptc", "xmp", "xmp,exif", "exif,iptc,xmp", "iptc,xmp"));
            if (random.Next(3) == 0) p.Add("cs=" + Pick("origin", "grayscale", "srgb", "p3"));
            if (random.Next(3) == 0) p.Add("enlarge=" + Pick("true", "false"));
            yield return string.Join('&', p.OrderBy(_ => random.Next()));
        }
    }

    private static string Key(string query)
    {
        var parameters = query.Split('&').Select(x => x.Split('=', 2)).ToDictionary(x => x[0], x => Uri.UnescapeDataString(x[1]));
        var request = TransformationParser.TryParse(parameters, 8192, out var errors);
        errors.Should().BeEmpty(query);
        return TransformationNormalizer.Normalize(request!, request!.Format!).Key;
    }

    [Fact]
    public void Every_request_keeps_its_frozen_key()
    {
        var frozen = File.ReadAllLines(FrozenPath).Select(l => l.Split('\t')).ToList();
        frozen.Should().HaveCount(1500);
        frozen.Select(f => f[0]).Should().Equal(Requests(), "the request generator is frozen too");
        foreach (var line in frozen) Key(line[0]).Should().Be(line[1], line[0]);
    }
}
