using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Caching.Memory;

namespace ArtifactPortal.Web.Components.Shared;

/// <summary>
/// The markup of a render fragment whose output depends only on a key, rendered once with <see cref="HtmlRenderer"/> and kept.
/// A server render built the whole layout component by component for each request: MudBlazor's theme sheet, app bar
/// buttons and menus, navigation links and the project header were over half of what a page render allocated, for markup
/// that is the same for everyone with the same key.
/// </summary>
/// <remarks>
/// The key must name everything the markup shows (a user name, a project's name and role): then data changed on another
/// node gives a new key instead of stale markup. Keys that hold names are many, so the cache is bounded by size.
/// </remarks>
internal sealed class RenderedMarkupCache(IServiceProvider services, ILoggerFactory loggerFactory) : IDisposable
{
    /// <summary>
    /// What the kept markup may take, in bytes: app bars, drawers and project headers (a few KB each), and the headers and
    /// Files tabs of the versions people open (the tab more with a table preview); the least recently used go first.
    /// </summary>
    public const long CacheBytes = 32L * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    /// <summary>The fragment's markup for <paramref name="key"/>, rendered at <paramref name="uri"/> the first time.</summary>
    /// <param name="uri">The absolute address the fragment's components see (links compare themselves with it).</param>
    public async ValueTask<MarkupString> GetAsync(string key, string baseUri, string uri, RenderFragment fragment)
    {
        if (_cache.TryGetValue(key, out string? markup))
        {
            return new MarkupString(markup!);
        }

        // Two renders that miss at once both render; the results are the same.
        markup = await RenderAsync(baseUri, uri, fragment);
        _cache.Set(key, markup, new MemoryCacheEntryOptions { Size = sizeof(char) * (key.Length + markup.Length) });
        return new MarkupString(markup);
    }

    private async Task<string> RenderAsync(string baseUri, string uri, RenderFragment fragment)
    {
        await using var scope = services.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<NavigationManager>() is IHostEnvironmentNavigationManager navigation)
        {
            navigation.Initialize(baseUri, uri);
        }

        // Rendered for nobody in particular, so that markup kept for a key cannot carry one person's data to another.
        if (scope.ServiceProvider.GetService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider authentication)
        {
            authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        }

        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<FragmentHost>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(FragmentHost.ChildContent)] = fragment,
            }));
            return output.ToHtmlString();
        });
    }

    public void Dispose() => _cache.Dispose();

    private sealed class FragmentHost : ComponentBase
    {
        [Parameter]
        public RenderFragment? ChildContent { get; set; }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) =>
            builder.AddContent(0, ChildContent);
    }
}
