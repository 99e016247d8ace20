using ArtifactPortal.Core.Statistics;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Statistics;

public static class StatisticsServiceCollectionExtensions
{
    public static IServiceCollection AddPortalStatistics(this IServiceCollection services)
    {
        services.AddSingleton<IFileStatisticsCalculator, FileStatisticsCalculator>();
        return services;
    }
}
