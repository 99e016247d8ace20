namespace ArtifactPortal.Infrastructure.Email;

/// <summary>Delivers one message; SMTP when configured, the log otherwise.</summary>
public interface IEmailTransport
{
    Task SendAsync(string recipient, string subject, string htmlBody, CancellationToken cancellationToken = default);
}
