using Microsoft.Extensions.Configuration;

namespace Direkt.Configuration.Options;

/// <summary>
/// Transformation parameters written in direkt.conf (variant profiles, preprocessing), with the same names as the URL parameters.
/// Values are kept as written; the transformation parser validates them exactly like URL parameters.
/// </summary>
public class TransformationSettings
{
    [ConfigurationKeyName("w")] public string? W { get; set; }
    [ConfigurationKeyName("h")] public string? H { get; set; }
    [ConfigurationKeyName("fit")] public string? Fit { get; set; }
    [ConfigurationKeyName("g")] public string? G { get; set; }
    [ConfigurationKeyName("format")] public string? Format { get; set; }
    [ConfigurationKeyName("q")] public string? Q { get; set; }
    [ConfigurationKeyName("r")] public string? R { get; set; }
    [ConfigurationKeyName("f")] public string? F { get; set; }
    [ConfigurationKeyName("filter")] public string? Filter { get; set; }
    [ConfigurationKeyName("blur")] public string? Blur { get; set; }
    [ConfigurationKeyName("pad")] public string? Pad { get; set; }
    [ConfigurationKeyName("pad-c")] public string? PadC { get; set; }
    [ConfigurationKeyName("strip")] public string? Strip { get; set; }
    [ConfigurationKeyName("cs")] public string? Cs { get; set; }
    [ConfigurationKeyName("enlarge")] public string? Enlarge { get; set; }

    /// <summary>The parameters that are set, as URL parameter name → value.</summary>
    public IReadOnlyDictionary<string, string> ToParameters()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value) { if (value is not null) result[name] = value; }
        Add("w", W); Add("h", H); Add("fit", Fit); Add("g", G); Add("format", Format); Add("q", Q); Add("r", R); Add("f", F);
        Add("filter", Filter); Add("blur", Blur); Add("pad", Pad); Add("pad-c", PadC); Add("strip", Strip); Add("cs", Cs);
        Add("enlarge", Enlarge);
        return result;
    }
}
