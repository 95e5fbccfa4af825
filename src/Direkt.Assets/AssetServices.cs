using Direkt.Assets.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Assets;

public static class AssetServices
{
    /// <summary>Registers the use cases: taking assets in (uploads, URL sources, preprocessing), the catalog, and variants.</summary>
    public static IServiceCollection AddDirektAssets(this IServiceCollection services, UrlSourceOptions urlSources)
    {
        services.AddSingleton(SpoolLocation.SystemTemp);
        services.AddSingleton(_ => new UrlSourceFetcher(urlSources));
        services.AddSingleton<UploadPreprocessor>();
        services.AddSingleton<AssetVariants>();
        services.AddSingleton<AssetIngest>();
        services.AddSingleton<AssetCatalog>();
        return services;
    }
}
