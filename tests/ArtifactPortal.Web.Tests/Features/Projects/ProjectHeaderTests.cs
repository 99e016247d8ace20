using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Features.Projects;
using Bunit;

namespace ArtifactPortal.Web.Tests.Features.Projects;

public sealed class ProjectHeaderTests : PortalComponentTestBase
{
    private static readonly ProjectAccess Maintainer =
        new(Guid.NewGuid(), "vision", "Vision", ProjectVisibility.Private, IsArchived: false, ProjectRole.Maintainer, IsSiteAdministrator: false);

    [Fact]
    public void Render_Maintainer_ShowsTrailAndTheSectionsTheRoleMayOpen()
    {
        var header = Context.Render<ProjectHeader>(p => p
            .Add(h => h.Access, Maintainer)
            .Add(h => h.ActiveTab, "artifacts")
            .Add(h => h.Trail, [("Artifacts", "p/vision/artifacts"), ("resnet", null)]));

        Assert.Equal("Vision", header.Find("[data-testid=project-name]").TextContent.Trim());
        Assert.Equal(["Projects", "Vision", "Artifacts", "resnet"],
            header.FindAll(".mud-breadcrumb-item").Select(b => b.TextContent.Trim()));
        var active = header.Find("nav.project-tabs [aria-current=page]");
        Assert.Equal("p/vision/artifacts", active.GetAttribute("href"));
        Assert.Contains(header.FindAll("nav.project-tabs a"), a => a.GetAttribute("href") == "p/vision/settings");
    }

    [Fact]
    public void Render_SameAccessTabAndTrailAgain_SkipsTheRenderButAChangeShows()
    {
        var header = Context.Render<ProjectHeader>(p => p
            .Add(h => h.Access, Maintainer)
            .Add(h => h.ActiveTab, "artifacts")
            .Add(h => h.Trail, [("Artifacts", "p/vision/artifacts")]));
        var renders = header.RenderCount;

        // What the shell does whenever its page's content changes: the same header values, in a new trail array.
        header.Render(p => p.Add(h => h.Trail, [("Artifacts", "p/vision/artifacts")]));
        var afterSame = header.RenderCount;
        header.Render(p => p.Add(h => h.Access, Maintainer with { Name = "Vision 2" }));

        Assert.Equal(renders, afterSame);
        Assert.Equal("Vision 2", header.Find("[data-testid=project-name]").TextContent.Trim());
        Assert.Contains("Vision 2", header.FindAll(".mud-breadcrumb-item").Select(b => b.TextContent.Trim()));
    }
}
