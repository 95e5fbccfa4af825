using System.Globalization;
using Direkt.Assets;
using Microsoft.AspNetCore.Http;

namespace Direkt.Http.Assets;

/// <summary>
/// The query string of an /assets request (API.md §2): transformation parameters and `profile`, `limit`, the signature `s`,
/// and everything else as label filters (`label:KEY=value` for a label whose key is a reserved parameter name).
/// </summary>
internal sealed record AssetQueryString(
    IReadOnlyDictionary<string, string> Transformation, int? Limit, IReadOnlyDictionary<string, string> Labels)
{
    public const string LabelPrefix = "label:";
    public const int MaxLabelFilters = Storage.Records.AssetQuery.MaxLabelFilters;

    /// <summary>Transformation parameter names of API.md §4, plus `profile` (from the parameter table).</summary>
    public static readonly IReadOnlySet<string> TransformationParameters =
        new HashSet<string>(Direkt.Assets.Transformations.TransformationParser.ParameterNames, StringComparer.Ordinal);

    private static readonly IReadOnlySet<string> Reserved =
        new HashSet<string>(TransformationParameters.Concat(["limit", "s"]), StringComparer.Ordinal);

    public static AssetQueryString Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        var transformation = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int? limit = null;

        foreach (var (name, values) in query)
        {
            if (values.Count != 1)
            {
                errors[name] = ["given more than once"];
                continue;
            }
            var value = values[0] ?? "";
            if (name.StartsWith(LabelPrefix, StringComparison.Ordinal))
            {
                var key = name[LabelPrefix.Length..];
                if (key.Length == 0) errors[name] = ["a label filter needs a key: label:KEY=value"];
                else if (!labels.TryAdd(key, value)) errors[name] = ["label filter given more than once"];
            }
            else if (name == "limit")
            {
                if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && (parsed == -1 || parsed >= 1))
                    limit = parsed;
                else errors[name] = ["must be -1 (all) or a whole number of at least 1"];
            }
            else if (name == "s")
            {
                // The signature: checked by URL signing when it is enabled, never a filter.
            }
            else if (TransformationParameters.Contains(name)) transformation[name] = value;
            else if (name.Length == 0) errors["query"] = ["a parameter without a name"];
            else if (!labels.TryAdd(name, value)) errors[name] = ["label filter given more than once"];
        }

        // Each filter is a condition of the database query; past the limit SQLite refuses the expression (it was a 500).
        if (labels.Count > MaxLabelFilters) errors["labels"] = [$"at most {MaxLabelFilters} label filters, {labels.Count} were given"];
        // Labels never hold control characters (metadata refuses them), and PostgreSQL refuses a NUL in text: a filter with one is a 400.
        foreach (var (key, value) in labels)
            if (key.Any(char.IsControl) || value.Any(char.IsControl)) errors[key] = ["label filters must not contain control characters"];

        if (errors.Count > 0) throw AssetException.BadRequest("The query string is invalid.", errors);
        return new AssetQueryString(transformation, limit, labels);
    }

    public static bool IsReserved(string name) => Reserved.Contains(name);
}
