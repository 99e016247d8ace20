using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    public static IServiceCollection AddPortalNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IAnnouncementDispatcher, HangfireAnnouncementDispatcher>();
        services.AddTransient<DeliverWebhookJob>();
        services.AddSingleton<IWebhookSecretProtector, DataProtectionWebhookSecretProtector>();
        services.AddTransient<SendNotificationEmailJob>();
        services.AddTransient<RequeueStalledWebhooksJob>();
        // Webhook URLs are chosen by project Maintainers: no cookies, no automatic redirects to other hosts.
        services.AddHttpClient(DeliverWebhookJob.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        return services;
    }
}
