namespace ArtifactPortal.Infrastructure.Identity;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>When false, only administrators create accounts (invite-only).</summary>
    public bool AllowSelfRegistration { get; set; } = true;
}
