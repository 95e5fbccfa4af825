using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Variants;

public static class VariantServices
{
    /// <summary>
    /// Registers the variant cache and what it needs: generation, the lookup cache and kept bytes of the hit path, counters, placeholders per
    /// variant and the expiry reaper. The path rules come in as functions, so this part never reads the configuration itself.
    /// </summary>
    public static IServiceCollection AddDirektVariants(this IServiceCollection services,
        Func<string, IReadOnlyCollection<string>> placeholderKinds, Func<Imaging.Rendering.OutputLimits> outputLimits, ExpiryRules expiry,
        Func<int>? maxVariantsPerAsset = null, HotVariantCacheOptions? hitCache = null)
    {
        services.AddSingleton(new HotVariantCache(hitCache ?? new HotVariantCacheOptions()));
        services.AddSingleton(maxVariantsPerAsset is null ? VariantStorageRule.Default : new VariantStorageRule(maxVariantsPerAsset));
        services.AddSingleton(new OutputLimitsRule(outputLimits));
        services.AddSingleton(VariantWorkspace.SystemTemp);
        services.AddSingleton(new PlaceholderRule(placeholderKinds));
        services.AddSingleton<VariantGenerator>();
        services.AddSingleton<VariantCounters>();
        services.AddSingleton<VariantCache>();
        services.AddSingleton<LookupCache>();
        services.AddSingleton<FailedVariants>();
        services.AddSingleton(expiry);
        services.AddSingleton<VariantExpiry>();
        return services;
    }
}
