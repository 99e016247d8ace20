using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Evaluations;
using ArtifactPortal.Core.Lineage;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Core.Search;
using ArtifactPortal.Core.Sharing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArtifactPortal.Core;

public static class CoreServiceCollectionExtensions
{
    public static IServiceCollection AddPortalCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<PortalTelemetry>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<ProjectAccessService>();
        services.AddSingleton<AccessRequestService>();
        services.AddSingleton<ProjectMemberService>();
        services.AddSingleton<TeamService>();
        services.AddSingleton<InvitationService>();
        services.TryAddSingleton<IClientAddressAccessor, NoClientAddressAccessor>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<PersonalAccessTokenService>();
        services.AddSingleton<ArtifactService>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<AnalysisService>();
        services.AddSingleton<IVersionCommittedHandler>(sp => sp.GetRequiredService<AnalysisService>());
        services.AddSingleton<LineageService>();
        services.AddSingleton<PortalSearchService>();
        services.AddSingleton<ShareLinkService>();
        services.AddSingleton<PortalAnnouncer>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<PromotionService>();
        services.AddSingleton<PromotionComparison>();
        services.AddSingleton<EvaluationService>();
        services.AddSingleton<ProtectedAliasService>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<ExperimentService>();
        services.AddSingleton<RunService>();
        services.AddOptions<MetricOptions>().BindConfiguration(MetricOptions.SectionName);
        services.AddSingleton<MetricSeriesCache>();
        services.AddSingleton<MetricService>();
        services.AddSingleton<IAuthorizationHandler, ProjectAuthorizationHandler>();
        return services;
    }
}
