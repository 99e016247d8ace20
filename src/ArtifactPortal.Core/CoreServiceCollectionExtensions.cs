using ArtifactPortal.Core.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Core;

public static class CoreServiceCollectionExtensions
{
    public static IServiceCollection AddPortalCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProjectService>();
        return services;
    }
}
