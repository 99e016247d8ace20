using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Web.Features.Models;

/// <summary>How a protected alias's policy reads on the settings page.</summary>
public static class ProtectedAliasDisplay
{
    public static string Reviewers(ProtectedAliasPolicy policy)
    {
        if (policy.ReviewerUserNames.Count == 0 && policy.ReviewerTeams.Count == 0)
        {
            return Roles(policy.ReviewerRole);
        }

        var named = policy.ReviewerUserNames.Concat(policy.ReviewerTeams.Select(t => $"team {t}"));
        return "Only " + string.Join(", ", named);
    }

    public static string Roles(ProjectRole least) => least switch
    {
        ProjectRole.Editor => "Editors, Maintainers and Owners",
        ProjectRole.Maintainer => "Maintainers and Owners",
        _ => "Owners",
    };
}
