using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Core.Projects;
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
        services.AddSingleton<PortalSearchService>();
        services.AddSingleton<ShareLinkService>();
        services.AddSingleton<PortalAnnouncer>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<PromotionService>();
        services.AddSingleton<PromotionComparison>();
        services.AddSingleton<ProtectedAliasService>();
        services.AddSingleton<IAuthorizationHandler, ProjectAuthorizationHandler>();
        return services;
    }
}
