namespace Direkt.Assets;

/// <summary>Which assets at a path a request means (API.md §2 selectors).</summary>
public abstract record AssetSelector
{
    private AssetSelector() { }

    /// <summary>Newest created first (the default) or most recently modified first.</summary>
    public sealed record Ordered(AssetOrdering Ordering) : AssetSelector;

    /// <summary>Exactly one asset.</summary>
    public sealed record Entry(long EntryId) : AssetSelector;

    public static AssetSelector Newest { get; } = new Ordered(AssetOrdering.Created);
}

public enum AssetOrdering { Created, Modified }

/// <summary>How a request wants the asset back.</summary>
public enum ReturnFormat { Link, Content, Download, Redirect, Info }
