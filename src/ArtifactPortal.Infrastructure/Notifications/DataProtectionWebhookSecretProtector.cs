using ArtifactPortal.Core.Models;
using Microsoft.AspNetCore.DataProtection;

namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>Protects webhook secrets with the purpose <see cref="DeliverWebhookJob"/> unprotects them with.</summary>
public sealed class DataProtectionWebhookSecretProtector(IDataProtectionProvider dataProtection) : IWebhookSecretProtector
{
    public string Protect(string secret) => dataProtection.CreateProtector(DeliverWebhookJob.SecretPurpose).Protect(secret);
}
