using ArtifactPortal.Core.Audit;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.Web.Api;
using ArtifactPortal.Web.Components;
using ArtifactPortal.Web.Components.Account;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;

namespace ArtifactPortal.Web.Hosting;

public static class PortalHostingExtensions
{
    public const string EnvironmentPrefix = "ARTIFACTPORTAL_";

    /// <summary>Configuration sources and logging shared by the web server and the operator commands.</summary>
    public static WebApplicationBuilder AddPortalHosting(this WebApplicationBuilder builder)
    {
        // ARTIFACTPORTAL_Database__Provider=Postgres etc.; ARTIFACTPORTAL_DATA is read by PortalDataDirectory.
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        // Serves wwwroot from the build output in any environment, not only Development; a no-op after publish.
        builder.WebHost.UseStaticWebAssets();
        // Registered after Kestrel's own factory, so Kestrel's connections read into 64 KiB blocks (ADR 016).
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        return builder;
    }

    /// <summary>Blazor, MudBlazor and the Identity glue for the Razor components.</summary>
    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(config =>
        {
            // Bottom-left keeps toasts clear of the app bar's user menu.
            config.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            config.SnackbarConfiguration.VisibleStateDuration = 4000;
            // The layout has its MudPopoverProvider; markup kept by RenderedMarkupCache is rendered without one, on purpose
            // (closed menus and tooltips show nothing), and MudBlazor would log that as an error each time.
            config.PopoverOptions.CheckForPopoverProvider = false;
        });
        // MudBlazor makes a new interceptor for each component that shows one of its own texts, and each one reads
        // MudBlazor's resource attributes when made (about 1 % of a page render). It keeps nothing per person: one will do.
        services.Replace(ServiceDescriptor.Singleton<ILocalizationInterceptor, DefaultLocalizationInterceptor>());
        services.AddSingleton<RenderedMarkupCache>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddHttpContextAccessor();
        services.AddSingleton<IClientAddressAccessor, HttpClientAddressAccessor>();
        services.AddProblemDetails();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenPageAuthorizationResultHandler>();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            var redirectToLogin = options.Events.OnRedirectToLogin;
            options.Events.OnRedirectToLogin = context =>
            {
                // Scripts calling the API without credentials get 401, not the HTML sign-in page.
                if (ApiEndpoints.IsApiPath(context.Request.Path))
                {
                    return PersonalAccessTokenAuthenticationHandler.WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized,
                        "Unauthorized", "Send a personal access token as 'Authorization: Bearer apt_…'.");
                }

                return redirectToLogin(context);
            };
            options.Events.OnRedirectToAccessDenied = context =>
            {
                if (ApiEndpoints.IsApiPath(context.Request.Path))
                {
                    return PersonalAccessTokenAuthenticationHandler.WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                        "Forbidden", "You may not do this.");
                }

                // Pages show the portal's no-access page themselves (ForbiddenPageAuthorizationResultHandler); downloads,
                // the API and the job dashboard answer a plain 403 rather than redirecting to an HTML page.
                if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                }

                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        return services;
    }

    public static WebApplication UsePortalErrorPagesAndSecurity(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            // Friendly page with a correlation id; the stack trace goes to the log only.
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
            // Only when this server itself speaks HTTPS; behind a TLS-terminating proxy the proxy redirects.
            if (ServesHttps(app.Configuration))
            {
                app.UseHttpsRedirection();
            }
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }

    public static WebApplication MapPortalUi(this WebApplication app)
    {
        // After routing (the limit applies to page endpoints only), before the pages run.
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }

    /// <summary>
    /// A worker node answers 404 to anything but its health checks; without this the fallback authorization policy would
    /// challenge an unknown path and send the caller round a sign-in redirect that no page answers.
    /// </summary>
    public static WebApplication MapPortalWorkerFallback(this WebApplication app)
    {
        app.MapFallback(() => Results.NotFound()).AllowAnonymous();
        return app;
    }

    private static bool ServesHttps(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["HTTPS_PORTS"]) ||
        (configuration["URLS"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase);
}
