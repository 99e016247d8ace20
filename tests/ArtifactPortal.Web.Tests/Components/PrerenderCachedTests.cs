using ArtifactPortal.Web.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ArtifactPortal.Web.Tests.Components;

public class PrerenderCachedTests : PortalComponentTestBase
{
    private int _clicks;

    private RenderFragment Button(string text) => builder =>
    {
        builder.OpenComponent<MudButton>(0);
        builder.AddComponentParameter(1, nameof(MudButton.OnClick), EventCallback.Factory.Create<Microsoft.AspNetCore.Components.Web.MouseEventArgs>(this, () => _clicks++));
        builder.AddComponentParameter(2, nameof(MudButton.ChildContent), (RenderFragment)(b => b.AddContent(0, text)));
        builder.CloseComponent();
    };

    private IRenderedComponent<PrerenderCached> Render(string key, string text) =>
        Context.Render<PrerenderCached>(p => p.Add(c => c.Key, key).Add(c => c.ChildContent, Button(text)));

    private void RenderOnServer() => Context.Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    [Fact]
    public void ServerRender_WritesTheChildContentsMarkupWithoutItsComponents()
    {
        RenderOnServer();

        var cut = Render("save-button", "Save");

        Assert.Equal("Save", cut.Find("button.mud-button-root").TextContent.Trim());
        Assert.Empty(cut.FindComponents<MudButton>());
    }

    [Fact]
    public void ServerRender_SameKey_WritesTheMarkupKeptTheFirstTime()
    {
        RenderOnServer();
        Render("button", "First");

        var sameKey = Render("button", "Second");
        var otherKey = Render("other-button", "Second");

        Assert.Equal("First", sameKey.Find("button").TextContent.Trim());
        Assert.Equal("Second", otherKey.Find("button").TextContent.Trim());
    }

    [Fact]
    public async Task Circuit_RendersTheChildContentLive()
    {
        var cut = Render("live-button", "Count");

        await cut.Find("button").ClickAsync(new());

        Assert.Single(cut.FindComponents<MudButton>());
        Assert.Equal(1, _clicks);
    }
}
