using Direkt.Configuration.Loading;
using Microsoft.Extensions.Configuration;

namespace Direkt.Configuration.Options;

/// <summary>
/// Transformation parameters written in direkt.conf (variant profiles, preprocessing), with the same names as the URL
/// parameters. Every key of the block that is not a property of a subclass lands here as written: the parameter table
/// (Direkt.Imaging's TransformationParameters) decides at start-up and on reload which names and values are valid, exactly
/// as for a URL, so a new parameter needs no change here.
/// </summary>
public class TransformationSettings
{
    [ConfigurationKeyName(ConfigurationSchema.OtherKeysName)]
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The parameters that are set, as URL parameter name → value.</summary>
    public IReadOnlyDictionary<string, string> ToParameters() => Parameters;
}
