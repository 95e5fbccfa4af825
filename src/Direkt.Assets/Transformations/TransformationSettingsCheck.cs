using Direkt.Configuration.Loading;
using Direkt.Imaging;

namespace Direkt.Assets.Transformations;

/// <summary>
/// Start-up checks that need the loaded libvips: every variant profile must parse like a URL would and name a format this
/// build can write, and every path's `negotiate` list may only offer writable formats.
/// </summary>
public static class TransformationSettingsCheck
{
    public static void Validate(DirektConfiguration configuration, FormatCapabilities capabilities)
    {
        var errors = new List<ConfigurationError>();
        var options = configuration.Options;
        foreach (var (name, profile) in options.VariantProfiles)
        {
            var key = $"variant-profiles.{name}";
            var parsed = TransformationParser.TryParse(profile.ToParameters(), options.Limits.MaxOutputDimension, out var problems);
            foreach (var (parameter, messages) in problems)
                errors.Add(new ConfigurationError($"{key}.{parameter}", null, null, string.Join("; ", messages)));
            if (profile.ToParameters().ContainsKey("profile"))
                errors.Add(new ConfigurationError($"{key}.profile", null, null, "a profile cannot name another profile"));
            if (parsed?.Format is { } format && !Writable(format, capabilities))
                errors.Add(new ConfigurationError($"{key}.format", format, null, WritableList(capabilities)));
        }

        foreach (var pattern in configuration.Paths.Patterns)
        {
            var preprocessing = configuration.Paths.Resolve(pattern.ExamplePath()).Transform.Preprocessing;
            if (preprocessing.Enabled)
            {
                var key = $"paths.\"{pattern.Text}\".transform.preprocessing";
                var parameters = UploadPreprocessor.Parameters(preprocessing);
                var parsed = TransformationParser.TryParse(parameters, options.Limits.MaxOutputDimension, out var problems);
                foreach (var (parameter, messages) in problems)
                    errors.Add(new ConfigurationError($"{key}.{parameter}", null, null, string.Join("; ", messages)));
                if (parameters.ContainsKey("profile"))
                    errors.Add(new ConfigurationError($"{key}.profile", null, null, "preprocessing takes parameters, not a profile"));
                if (parsed?.Format is { } format && !Writable(format, capabilities))
                    errors.Add(new ConfigurationError($"{key}.format", format, null, WritableList(capabilities)));
            }
            var negotiate = configuration.Paths.Resolve(pattern.ExamplePath()).Transform.Negotiate;
            for (var i = 0; i < negotiate.Count; i++)
                if (!Writable(negotiate[i], capabilities))
                    errors.Add(new ConfigurationError($"paths.\"{pattern.Text}\".transform.negotiate[{i}]", negotiate[i], null,
                        WritableList(capabilities)));
        }
        if (errors.Count > 0) throw new DirektConfigurationException(errors);
    }

    private static bool Writable(string format, FormatCapabilities capabilities) =>
        ImageFormat.TryParse(format, out var f) && capabilities.CanWrite(f!);

    private static string WritableList(FormatCapabilities capabilities) =>
        $"the loaded libvips cannot write this format; it writes {string.Join(", ", capabilities.Writable)}";
}
