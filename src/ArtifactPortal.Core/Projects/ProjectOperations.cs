using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace ArtifactPortal.Core.Projects;

/// <summary>Requirements for resource-based authorization: <c>AuthorizeAsync(user, access, ProjectOperations.For(op))</c>.</summary>
public static class ProjectOperations
{
    private static readonly Dictionary<ProjectOperation, OperationAuthorizationRequirement> Requirements =
        Enum.GetValues<ProjectOperation>().ToDictionary(o => o, o => new OperationAuthorizationRequirement { Name = o.ToString() });

    public static OperationAuthorizationRequirement For(ProjectOperation operation) => Requirements[operation];
}
