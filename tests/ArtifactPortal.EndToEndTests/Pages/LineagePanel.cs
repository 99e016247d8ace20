using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The lineage graph (version page section or /p/{slug}/lineage): a Cytoscape canvas, read through its instance.</summary>
public sealed class LineagePanel(IPage page)
{
    public IPage Page => page;

    public ILocator Canvas => page.GetByTestId("lineage-canvas");

    /// <summary>The script marks the canvas once the graph is laid out and drawn.</summary>
    public ILocator ReadyCanvas => page.Locator("[data-testid=lineage-canvas][data-ready=true]");

    /// <summary>On a version page the graph is the "Lineage" tab; the page is prerendered, so wait for the circuit first.</summary>
    public async Task OpenTabAsync()
    {
        await new PortalLayout(page).WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Lineage" }).ClickAsync();
    }

    /// <summary>Labels of the drawn nodes (Cytoscape keeps its instance on the container as _cyreg.cy).</summary>
    public async Task<IReadOnlyList<string>> NodeLabelsAsync() =>
        await Canvas.EvaluateAsync<string[]>("el => el._cyreg.cy.nodes().map(n => n.data('label').split('\\n')[0]).sort()");

    /// <summary>Clicks the drawn node whose first label line is <paramref name="label"/>, where it is on screen.</summary>
    public async Task ClickNodeAsync(string label)
    {
        await Canvas.ScrollIntoViewIfNeededAsync();
        var position = await Canvas.EvaluateAsync<double[]>(
            """
            (el, label) => {
              const node = el._cyreg.cy.nodes().filter(n => n.data('label').split('\n')[0] === label)[0];
              const p = node.renderedPosition();
              return [p.x, p.y];
            }
            """,
            label);
        var box = await Canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("The lineage canvas is not on screen.");
        await page.Mouse.ClickAsync((float)(box.X + position[0]), (float)(box.Y + position[1]));
    }
}
