using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Email;

/// <summary>Without SMTP, an operator reads confirmation and reset links from the log.</summary>
internal sealed partial class LogEmailTransport(ILogger<LogEmailTransport> logger) : IEmailTransport
{
    public Task SendAsync(string recipient, string subject, string htmlBody, CancellationToken cancellationToken = default)
    {
        LogEmail(logger, recipient, subject, htmlBody);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "SMTP is not configured; email to {To} not sent. Subject: {Subject}. Body: {Body}")]
    private static partial void LogEmail(ILogger logger, string to, string subject, string body);
}
