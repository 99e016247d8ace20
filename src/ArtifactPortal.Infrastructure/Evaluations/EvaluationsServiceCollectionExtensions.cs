using ArtifactPortal.Core.Evaluations;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Evaluations;

public static class EvaluationsServiceCollectionExtensions
{
    public static IServiceCollection AddPortalEvaluations(this IServiceCollection services)
    {
        services.AddSingleton<IEvaluationMetricsReader, EvaluationMetricsReader>();
        return services;
    }
}
