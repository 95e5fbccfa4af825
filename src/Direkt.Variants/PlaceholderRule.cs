using Direkt.Imaging.Placeholders;

namespace Direkt.Variants;

/// <summary>
/// Which low-quality placeholders (LQIP) a path wants computed with each of its variants (the path policy's `image.lqip`),
/// and the computation itself: one tiny libvips thumbnail feeding both hashes.
/// </summary>
public sealed class PlaceholderRule(Func<string, IReadOnlyCollection<string>> kindsFor)
{
    public static PlaceholderRule None { get; } = new(_ => []);

    /// <summary>The placeholders for an image file of an asset at <paramref name="assetPath"/>, or null when the path wants none.</summary>
    public Storage.Records.Lqip? Compute(string assetPath, string imageFile) => Compute(kindsFor(assetPath), imageFile);

    /// <summary>The placeholders for a variant rendered in memory, or null when the path wants none.</summary>
    public Storage.Records.Lqip? Compute(string assetPath, byte[] encoded)
    {
        var kinds = kindsFor(assetPath);
        if (kinds.Count == 0) return null;
        var hashes = PlaceholderComputer.Compute(encoded, kinds.Contains("blurhash"), kinds.Contains("thumbhash"));
        return new Storage.Records.Lqip(hashes.Blurhash, hashes.Thumbhash);
    }

    /// <summary>The placeholders <paramref name="kinds"/> (blurhash, thumbhash) names, or null for none.</summary>
    public static Storage.Records.Lqip? Compute(IReadOnlyCollection<string> kinds, string imageFile)
    {
        if (kinds.Count == 0) return null;
        var hashes = PlaceholderComputer.Compute(imageFile, kinds.Contains("blurhash"), kinds.Contains("thumbhash"));
        return new Storage.Records.Lqip(hashes.Blurhash, hashes.Thumbhash);
    }
}
