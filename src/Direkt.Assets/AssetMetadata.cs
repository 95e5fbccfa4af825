namespace Direkt.Assets;

/// <summary>What an application may say about an asset: alt text, labels and tags (API.md §3), with their limits.</summary>
public sealed record AssetMetadata(string? Alt, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Tags)
{
    public const int MaxAltLength = 125;
    public const int MaxLabels = 50;
    public const int MaxLabelKeyLength = 128;
    public const int MaxLabelValueLength = 256;
    public const int MaxTags = 50;
    public const int MaxTagLength = 256;

    public static AssetMetadata Empty { get; } = new(null, new Dictionary<string, string>(), []);

    /// <summary>Every broken rule, keyed by field ("alt", "labels", "tags"); empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        if (Alt is { Length: > MaxAltLength }) Add("alt", $"at most {MaxAltLength} characters");
        if (Alt is not null && Alt.Any(char.IsControl)) Add("alt", "must not contain control characters");

        if (Labels.Count > MaxLabels) Add("labels", $"at most {MaxLabels} labels");
        foreach (var (key, value) in Labels)
        {
            if (key.Length is 0 or > MaxLabelKeyLength) Add("labels", $"label keys have 1–{MaxLabelKeyLength} characters");
            if (value.Length > MaxLabelValueLength) Add("labels", $"label '{key}': values have at most {MaxLabelValueLength} characters");
            if (key.Any(char.IsControl) || value.Any(char.IsControl)) Add("labels", "labels must not contain control characters");
            if (key.StartsWith("label:", StringComparison.Ordinal)) Add("labels", "label keys must not start with 'label:'");
        }

        if (Tags.Count > MaxTags) Add("tags", $"at most {MaxTags} tags");
        foreach (var tag in Tags)
        {
            if (tag.Length is 0 or > MaxTagLength) Add("tags", $"tags have 1–{MaxTagLength} characters");
            if (tag.Any(char.IsControl)) Add("tags", "tags must not contain control characters");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray());
    }
}
