using System.Security.Cryptography;
using System.Text;

namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>
/// <c>X-ArtifactPortal-Signature: sha256=&lt;hex HMAC-SHA256 of the body with the webhook's secret&gt;</c>, as GitHub signs
/// its webhooks; receivers recompute it over the raw body and compare in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-ArtifactPortal-Signature";

    public static string Compute(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
