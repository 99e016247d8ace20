using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace ArtifactPortal.Web.Components.Layout;

/// <summary>
/// The portal theme's style sheet for each mode (MudBlazor's CSS variables for every colour, shadow, size and font), written
/// once. MudThemeProvider builds a default theme and writes its 12 KB sheet again on every render: a tenth of all a page
/// render allocated. The portal's theme never changes, so the sheet MudBlazor writes for it is kept and sent as it is.
/// </summary>
public sealed class PortalThemeSheets(IServiceProvider services, ILoggerFactory loggerFactory)
{
    private readonly Lazy<Task<string>> _light = new(() => WriteAsync(services, loggerFactory, dark: false));
    private readonly Lazy<Task<string>> _dark = new(() => WriteAsync(services, loggerFactory, dark: true));

    /// <summary>The style elements for the light or the dark palette.</summary>
    public Task<string> GetAsync(bool dark) => (dark ? _dark : _light).Value;

    private static async Task<string> WriteAsync(IServiceProvider services, ILoggerFactory loggerFactory, bool dark)
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var sheet = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = PortalTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
            }));
            return sheet.ToHtmlString();
        });
    }
}
