using System.Text.Encodings.Web;
using ArtifactPortal.Infrastructure.Email;
using Microsoft.AspNetCore.Identity;

namespace ArtifactPortal.Infrastructure.Identity;

/// <summary>Identity's account emails. The account pages pass links already HTML-encoded.</summary>
internal sealed class PortalEmailSender(IEmailTransport transport) : IEmailSender<PortalUser>
{
    public Task SendConfirmationLinkAsync(PortalUser user, string email, string confirmationLink) =>
        transport.SendAsync(email, "Confirm your ArtifactPortal account",
            $"<p>Confirm your account: <a href=\"{confirmationLink}\">{confirmationLink}</a></p>");

    public Task SendPasswordResetLinkAsync(PortalUser user, string email, string resetLink) =>
        transport.SendAsync(email, "Reset your ArtifactPortal password",
            $"<p>Reset your password: <a href=\"{resetLink}\">{resetLink}</a></p>");

    public Task SendPasswordResetCodeAsync(PortalUser user, string email, string resetCode) =>
        transport.SendAsync(email, "Reset your ArtifactPortal password",
            $"<p>Your password reset code: {HtmlEncoder.Default.Encode(resetCode)}</p>");
}
