using Direkt.Assets.Transformations;
using Direkt.Imaging.Transformations;

namespace Direkt.Assets.Tests.Transformations;

/// <summary>
/// Property-style checks over many seeded random requests: rewriting a request into an equivalent spelling never changes
/// its key, and changing one effective parameter always does.
/// </summary>
public sealed class NormalizationPropertyTests
{
    private static readonly string[] Formats = ["jpg", "png", "webp", "avif", "gif"];

    private static Dictionary<string, string> RandomRequest(Random random)
    {
        var p = new Dictionary<string, string>();
        if (random.Next(2) == 0) p["w"] = random.Next(1, 2000).ToString();
        if (random.Next(2) == 0) p["h"] = random.Next(1, 2000).ToString();
        if (p.ContainsKey("w") && p.ContainsKey("h")) p["fit"] = new[] { "fit", "crop", "stretch" }[random.Next(3)];
        if (p.GetValueOrDefault("fit") == "crop") p["g"] = new[] { "center", "entropy", "attention" }[random.Next(3)];
        p["format"] = Formats[random.Next(Formats.Length)];
        if (random.Next(2) == 0) p["q"] = random.Next(1, 101).ToString();
        p["r"] = new[] { "0", "90", "180", "270" }[random.Next(4)];
        p["f"] = new[] { "none", "h", "v" }[random.Next(3)];
        if (random.Next(3) == 0) p["filter"] = new[] { "grayscale", "sepia", "black_white" }[random.Next(3)];
        if (random.Next(3) == 0) p["blur"] = (random.Next(1, 100) / 4.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (random.Next(3) == 0) p["pad"] = random.Next(1, 50).ToString();
        if (random.Next(3) == 0) p["cs"] = new[] { "srgb", "p3", "grayscale" }[random.Next(3)];
        return p;
    }

    private static string Key(Dictionary<string, string> parameters)
    {
        var request = TransformationParser.TryParse(parameters, 8192, out var errors);
        errors.Should().BeEmpty();
        return TransformationNormalizer.Normalize(request!, request!.Format!).Key;
    }

    /// <summary>The same output spelled differently.</summary>
    private static Dictionary<string, string> Equivalent(Dictionary<string, string> p, Random random)
    {
        var q = new Dictionary<string, string>(p);
        if (q["format"] == "jpg" && random.Next(2) == 0) q["format"] = "jpeg";
        if (q.GetValueOrDefault("fit") == "crop" && q.GetValueOrDefault("g", "center") == "center" && random.Next(2) == 0)
        {
            q["fit"] = "fill";
            q.Remove("g");
        }
        if (!q.ContainsKey("blur")) q["blur"] = "0";
        if (!q.ContainsKey("pad")) { q["pad"] = "0"; q["pad-c"] = "#123456"; }
        if (!q.ContainsKey("filter")) q["filter"] = "none";
        if (!q.ContainsKey("cs")) q["cs"] = "origin";
        if (!(q.ContainsKey("w") || q.ContainsKey("h"))) q["enlarge"] = "true";
        if (q["format"] is "png" or "gif") q["q"] = random.Next(1, 101).ToString();
        // Rotation then flip: three of the other spellings of the same symmetry.
        var (r, f) = (int.Parse(q["r"]), q["f"]);
        if (f == "h") { q["r"] = ((r + 180) % 360).ToString(); q["f"] = "v"; }
        else if (f == "v") { q["r"] = ((r + 180) % 360).ToString(); q["f"] = "h"; }
        return q.OrderBy(_ => random.Next()).ToDictionary(x => x.Key, x => x.Value);
    }

    /// <summary>One effective change.</summary>
    private static Dictionary<string, string> Different(Dictionary<string, string> p, Random random)
    {
        var q = new Dictionary<string, string>(p);
        switch (random.Next(5))
        {
            case 0: q["w"] = (int.Parse(q.GetValueOrDefault("w", "100")) % 1999 + 1).ToString(); if (!p.ContainsKey("w")) q["w"] = "3000"; break;
            case 1: q["format"] = Formats[(Array.IndexOf(Formats, q["format"]) + 1) % Formats.Length]; break;
            case 2: q["r"] = ((int.Parse(q["r"]) + 90) % 360).ToString(); break;
            case 3: q["pad"] = (int.Parse(q.GetValueOrDefault("pad", "0")) + 1).ToString(); break;
            default: q["blur"] = (double.Parse(q.GetValueOrDefault("blur", "0"), System.Globalization.CultureInfo.InvariantCulture) + 0.5)
                .ToString(System.Globalization.CultureInfo.InvariantCulture); break;
        }
        return q;
    }

    [Fact]
    public void Equivalent_spellings_share_a_key()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 2000; i++)
        {
            var request = RandomRequest(random);
            Key(Equivalent(request, random)).Should().Be(Key(request), $"{string.Join('&', request)} is equivalent");
        }
    }

    [Fact]
    public void Different_outputs_have_different_keys()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var request = RandomRequest(random);
            var changed = Different(request, random);
            Key(changed).Should().NotBe(Key(request), $"{string.Join('&', changed)} differs from {string.Join('&', request)}");
        }
    }

    [Fact]
    public void A_key_parses_back_to_itself()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var key = Key(RandomRequest(random));
            var reparsed = key.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Key(reparsed).Should().Be(key);
        }
    }
}
