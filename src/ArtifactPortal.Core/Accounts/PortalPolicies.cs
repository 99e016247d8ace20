namespace ArtifactPortal.Core.Accounts;

/// <summary>Names of the authorization policies every page, endpoint and service asks.</summary>
public static class PortalPolicies
{
    /// <summary>
    /// Site administrators signed in with a cookie: users page, background jobs dashboard, everything in every project.
    /// Never satisfied by a personal access token, not even an administrator's.
    /// </summary>
    public const string SiteAdministrator = nameof(SiteAdministrator);
}
