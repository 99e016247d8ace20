using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Models;

public static class ModelDisplay
{
    public static string ModelsLink(string slug) => $"p/{Uri.EscapeDataString(slug)}/models";

    public static string ModelLink(string slug, string name) => $"{ModelsLink(slug)}/{Uri.EscapeDataString(name)}";

    public static string PromotionsLink(string slug) => $"p/{Uri.EscapeDataString(slug)}/promotions";

    public static string RequestLink(string slug, int number) => $"{PromotionsLink(slug)}/{number}";

    public static Color StatusColor(PromotionStatus status) => status switch
    {
        PromotionStatus.Open => Color.Info,
        PromotionStatus.Approved => Color.Success,
        PromotionStatus.Rejected => Color.Error,
        PromotionStatus.Stale => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>The message of an error the service means for the person (refused, conflict, bad input); null for anything else.</summary>
    public static string? UserMessage(Exception exception) => exception switch
    {
        PortalAccessDeniedException or PortalConflictException or PortalRequestException or PortalNotFoundException or ProjectNotFoundException => exception.Message,
        _ => null,
    };
}
