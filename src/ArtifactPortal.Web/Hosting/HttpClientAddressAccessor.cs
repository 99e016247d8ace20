using ArtifactPortal.Core.Audit;

namespace ArtifactPortal.Web.Hosting;

/// <summary>
/// The caller's IP for the audit log. In a Blazor circuit this is the address of the SignalR connection that opened it.
/// Behind a reverse proxy, enable forwarded headers so this is the client's address, not the proxy's.
/// </summary>
internal sealed class HttpClientAddressAccessor(IHttpContextAccessor accessor) : IClientAddressAccessor
{
    public string? ClientAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
