using ArtifactPortal.Core.Thumbnails;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Thumbnails;

public static class ThumbnailServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IThumbnailer"/> (libvips) with <see cref="ThumbnailOptions"/> from the "Thumbnails" section.</summary>
    public static IServiceCollection AddPortalThumbnails(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ThumbnailOptions>()
            .Bind(configuration.GetSection(ThumbnailOptions.SectionName))
            .Validate(o => o.MaxPixels > 0, "Thumbnails:MaxPixels must be positive.")
            .Validate(o => o.MaxParallelImages > 0 && o.Concurrency > 0, "Thumbnails:MaxParallelImages and Concurrency must be positive.")
            .Validate(o => o.Quality is >= 1 and <= 100, "Thumbnails:Quality must be between 1 and 100.")
            .Validate(o => o.MosaicImages is >= 1 and <= 9, "Thumbnails:MosaicImages must be between 1 and 9.")
            .ValidateOnStart();
        services.AddSingleton<VipsThumbnailer>();
        services.AddSingleton<IThumbnailer>(provider => provider.GetRequiredService<VipsThumbnailer>());
        return services;
    }
}
