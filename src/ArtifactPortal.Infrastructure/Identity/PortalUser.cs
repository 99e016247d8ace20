using Microsoft.AspNetCore.Identity;

namespace ArtifactPortal.Infrastructure.Identity;

public class PortalUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An administrator switched the account off; it cannot sign in until enabled again.</summary>
    public bool IsDisabled { get; set; }

    public bool PrefersDarkMode { get; set; }
}
