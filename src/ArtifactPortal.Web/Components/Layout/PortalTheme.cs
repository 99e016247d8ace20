using MudBlazor;

namespace ArtifactPortal.Web.Components.Layout;

/// <summary>Colours and type for both light and dark mode; fonts come from the system, never a CDN.</summary>
internal static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#00897b",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2937",
            Background = "#f6f7fb",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1f2937",
            TextSecondary = "#5b6472",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            // White on this light indigo is 2.5:1; dark text on it passes WCAG AA.
            PrimaryContrastText = "#12141b",
            Secondary = "#4db6ac",
            AppbarBackground = "#171a22",
            AppbarText = "#e5e7eb",
            Background = "#12141b",
            Surface = "#1e2230",
            DrawerBackground = "#171a22",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#9aa3b2",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
            // Sentence-case buttons read calmer than Material's all-caps.
            Button = new ButtonTypography { TextTransform = "none", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
