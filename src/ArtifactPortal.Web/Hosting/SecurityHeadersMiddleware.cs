using Microsoft.Net.Http.Headers;

namespace ArtifactPortal.Web.Hosting;

/// <summary>Headers that keep pages from being framed, sniffed or leaking URLs, on every response.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    // Blazor Server needs 'self' scripts and a same-origin WebSocket; MudBlazor sets inline styles.
    private const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // An endpoint that sets its own policy (the sandboxed HTML view) keeps it.
            if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "SAMEORIGIN";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
