namespace ArtifactPortal.Core.Projects;

public sealed record InvitationEmail(string To, string InviterName, string ProjectName, ProjectRole Role, Uri Link, DateTimeOffset ExpiresAt);

/// <summary>Emails an invite link; Infrastructure sends it through the site's SMTP server.</summary>
public interface IInvitationMailer
{
    /// <returns>False when the site has no SMTP server or sending failed: the inviter then passes the link on themselves.</returns>
    Task<bool> SendAsync(InvitationEmail email, CancellationToken cancellationToken = default);
}
