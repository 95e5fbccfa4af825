using Direkt.Imaging.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Imaging;

public static class ImagingServices
{
    /// <summary>
    /// Sets libvips up (once per process) and registers what the loaded libvips can read and write
    /// (<see cref="FormatCapabilities"/>, also returned: the configuration is checked against it before anything starts),
    /// the renderer with its decoded originals (`decode-cache`) and the upload inspector.
    /// </summary>
    public static IServiceCollection AddDirektImaging(this IServiceCollection services, int vipsConcurrency, DecodedOriginalsOptions decodeCache,
        EncodingSettings encoding, out FormatCapabilities capabilities)
    {
        LibvipsRuntime.Initialize(vipsConcurrency);
        capabilities = FormatCapabilities.Detect();
        services.AddSingleton(capabilities);
        services.AddSingleton(new DecodedOriginals(decodeCache));
        services.AddSingleton(encoding);
        services.AddSingleton<VariantRenderer>();
        services.AddSingleton<ImageInspector>();
        return services;
    }
}
