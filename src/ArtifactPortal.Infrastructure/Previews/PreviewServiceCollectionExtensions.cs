using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Previews;

public static class PreviewServiceCollectionExtensions
{
    public static IServiceCollection AddPortalPreviews(this IServiceCollection services)
    {
        services.AddSingleton<FilePreviewService>();
        return services;
    }
}
