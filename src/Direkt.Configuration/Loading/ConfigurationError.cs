namespace Direkt.Configuration.Loading;

/// <summary>One problem in the configuration: which key, what value, where it came from and what is allowed.</summary>
public sealed record ConfigurationError(string Key, string? Value, string? Origin, string Problem)
{
    public override string ToString()
    {
        var value = Value is null ? "" : $" = {Value}";
        var origin = string.IsNullOrEmpty(Origin) ? "" : $" (from {Origin})";
        return $"{Key}{value}: {Problem}{origin}";
    }
}

/// <summary>Thrown at start-up (or on reload) when direkt.conf cannot be used; the message lists every problem found.</summary>
public sealed class DirektConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception(Describe(errors))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;

    public DirektConfigurationException(string key, string problem, string? origin = null)
        : this([new ConfigurationError(key, null, origin, problem)]) { }

    private static string Describe(IReadOnlyList<ConfigurationError> errors) =>
        $"Invalid configuration ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e));
}
