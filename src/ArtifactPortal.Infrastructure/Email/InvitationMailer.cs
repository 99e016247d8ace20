using System.Net;
using ArtifactPortal.Core.Projects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Email;

/// <summary>
/// Emails invite links through SMTP. Without SMTP nothing is sent or logged: the link is a secret, and the inviter
/// always gets it on screen to pass on.
/// </summary>
internal sealed partial class InvitationMailer(IEmailTransport transport, IOptions<SmtpOptions> smtp, ILogger<InvitationMailer> logger)
    : IInvitationMailer
{
    public async Task<bool> SendAsync(InvitationEmail email, CancellationToken cancellationToken = default)
    {
        if (!smtp.Value.IsConfigured)
        {
            return false;
        }

        var project = WebUtility.HtmlEncode(email.ProjectName);
        var inviter = WebUtility.HtmlEncode(email.InviterName);
        var link = WebUtility.HtmlEncode(email.Link.ToString());
        var body =
            $"<p>{inviter} invited you to join <strong>{project}</strong> on ArtifactPortal as {email.Role}.</p>" +
            $"<p><a href=\"{link}\">Accept the invitation</a></p>" +
            $"<p>Or open this link: {link}</p>" +
            $"<p>The link works once and expires on {email.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. " +
            "If you don't have an account yet, you can create one from the link.</p>";
        try
        {
            await transport.SendAsync(email.To, $"Invitation to {email.ProjectName} on ArtifactPortal", body, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The invitation exists either way; the inviter is told to pass the link on themselves.
            LogSendFailed(logger, e, email.To);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Error, "Could not email an invitation to {To}.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string to);
}
