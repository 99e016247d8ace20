namespace ArtifactPortal.Core.Accounts;

/// <summary>Site-wide Identity roles; project roles live in Core.Projects.</summary>
public static class PortalRoles
{
    public const string Administrator = "Administrator";
}
