namespace ArtifactPortal.Core.Accounts;

/// <summary>Names of the authorization policies every page, endpoint and service asks.</summary>
public static class PortalPolicies
{
    /// <summary>Site administrators: users page, background jobs dashboard, everything in every project.</summary>
    public const string SiteAdministrator = nameof(SiteAdministrator);
}
