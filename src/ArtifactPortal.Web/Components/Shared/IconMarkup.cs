using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace ArtifactPortal.Web.Components.Shared;

/// <summary>
/// A small MudBlazor icon as plain markup, the same element a <c>MudIcon Size="Size.Small"</c> renders. For rows that repeat
/// hundreds of times (a version's files): a component per icon made a 300-file version page several times dearer to render.
/// </summary>
internal static class IconMarkup
{
    private static readonly ConcurrentDictionary<(string Icon, string? Class), MarkupString> Cache = new();

    /// <param name="icon">An <see cref="MudBlazor.Icons"/> value (SVG paths).</param>
    /// <param name="cssClass">Extra classes, e.g. <c>mud-primary-text</c> for Color.Primary.</param>
    public static MarkupString Small(string icon, string? cssClass = null) =>
        Cache.GetOrAdd((icon, cssClass), key => new MarkupString(
            $"""<svg class="mud-icon-root mud-svg-icon mud-icon-size-small{(key.Class is null ? "" : " " + key.Class)}" focusable="false" viewBox="0 0 24 24" aria-hidden="true" role="img">{key.Icon}</svg>"""));
}
