using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace ArtifactPortal.Core.Projects;

/// <summary>The one place ASP.NET Core authorization asks about projects; the rules are in ProjectPermissions.</summary>
public sealed class ProjectAuthorizationHandler : AuthorizationHandler<OperationAuthorizationRequirement, ProjectAccess>
{
    protected override Task HandleRequirementAsync(
        AuthorizationHandlerContext context, OperationAuthorizationRequirement requirement, ProjectAccess resource)
    {
        if (Enum.TryParse<ProjectOperation>(requirement.Name, out var operation) && resource.Can(operation))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
