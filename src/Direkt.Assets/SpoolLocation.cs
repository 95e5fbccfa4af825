namespace Direkt.Assets;

/// <summary>The folder where uploads wait while they are probed (the system temporary folder unless a host chooses one).</summary>
public sealed record SpoolLocation(string Folder)
{
    public static SpoolLocation SystemTemp { get; } = new(Path.GetTempPath());
}
