using Direkt.Imaging.Rendering;

namespace Direkt.Variants;

/// <summary>The output limits in force now (`limits.max-output-dimension`, `limits.max-output-pixels`; they follow reloads).</summary>
public sealed class OutputLimitsRule(Func<OutputLimits> current)
{
    public static OutputLimitsRule Default { get; } = new(() => OutputLimits.Default);

    public OutputLimits Current => current();
}
