using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Infrastructure.Email;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>Mails one in-app notification to its recipient when SMTP is configured; the bell shows it either way.</summary>
[AutomaticRetry(Attempts = 3)]
public sealed class SendNotificationEmailJob(
    IPortalDbContextFactory dbFactory, IUserDirectory users, IEmailTransport transport, IOptions<SmtpOptions> smtp, IConfiguration configuration)
{
    public async Task RunAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        if (!smtp.Value.IsConfigured)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var notification = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == notificationId, cancellationToken).ConfigureAwait(false);
        if (notification is null || await users.FindActiveAsync(notification.UserId, cancellationToken).ConfigureAwait(false) is not { } person)
        {
            return;
        }

        var link = WebUtility.HtmlEncode(new Uri(new Uri(configuration["Portal:PublicUrl"] ?? "http://localhost:5000/"), notification.Url.TrimStart('/')).ToString());
        var title = WebUtility.HtmlEncode(notification.Title);
        await transport.SendAsync(person.Email, notification.Title,
            $"<p>{title}</p><p><a href=\"{link}\">Open it in ArtifactPortal</a></p>", cancellationToken).ConfigureAwait(false);
    }
}
