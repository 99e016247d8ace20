using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.IntegrationTests.Projects;

public sealed class InvitationMailerTests
{
    private static readonly InvitationEmail Invitation = new(
        "bob@example.com", "alice@example.com", "Fraud <v2>", ProjectRole.Editor,
        new Uri("https://portal.example/invite/abc_DEF"), new DateTimeOffset(2030, 1, 2, 3, 4, 0, TimeSpan.Zero));

    [Fact]
    public async Task SendAsync_SmtpConfigured_EmailsLinkRoleAndExpiryWithNamesEncoded()
    {
        var transport = new RecordingTransport();

        var sent = await Mailer(transport, smtpHost: "smtp.example.com").SendAsync(Invitation);

        Assert.True(sent);
        var (to, subject, body) = Assert.Single(transport.Sent);
        Assert.Equal("bob@example.com", to);
        Assert.Equal("Invitation to Fraud <v2> on ArtifactPortal", subject);
        Assert.Contains("invited you to join <strong>Fraud &lt;v2&gt;</strong> on ArtifactPortal as Editor", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://portal.example/invite/abc_DEF\">", body, StringComparison.Ordinal);
        Assert.Contains("expires on 2030-01-02 03:04 UTC", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NoSmtp_SendsNothingSoTheLinkIsNeverLogged()
    {
        var transport = new RecordingTransport();

        var sent = await Mailer(transport, smtpHost: null).SendAsync(Invitation);

        Assert.False(sent);
        Assert.Empty(transport.Sent);
    }

    [Fact]
    public async Task SendAsync_SmtpFails_ReturnsFalse()
    {
        var sent = await Mailer(new RecordingTransport { Fail = true }, smtpHost: "smtp.example.com").SendAsync(Invitation);

        Assert.False(sent);
    }

    private static InvitationMailer Mailer(IEmailTransport transport, string? smtpHost) =>
        new(transport, Options.Create(new SmtpOptions { Host = smtpHost }), NullLogger<InvitationMailer>.Instance);

    private sealed class RecordingTransport : IEmailTransport
    {
        public List<(string To, string Subject, string Body)> Sent { get; } = [];

        public bool Fail { get; init; }

        public Task SendAsync(string recipient, string subject, string htmlBody, CancellationToken cancellationToken = default)
        {
            if (Fail)
            {
                throw new IOException("Connection refused");
            }

            Sent.Add((recipient, subject, htmlBody));
            return Task.CompletedTask;
        }
    }
}
