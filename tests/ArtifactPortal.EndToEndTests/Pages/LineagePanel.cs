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

    /// <summary>The first label line of the node the graph is centred on (drawn with a highlight).</summary>
    public async Task<string> FocusLabelAsync() =>
        await Canvas.EvaluateAsync<string>("el => el._cyreg.cy.nodes('[?focus]').map(n => n.data('label').split('\\n')[0]).join()");

    /// <summary>The drawn arrows into and out of the node labelled <paramref name="label"/>, as "source > target", sorted.</summary>
    public async Task<IReadOnlyList<string>> EdgesTouchingAsync(string label) =>
        await Canvas.EvaluateAsync<string[]>(
            """
            (el, label) => el._cyreg.cy.edges()
              .map(e => [e.source(), e.target()].map(n => n.data('label').split('\n')[0]))
              .filter(pair => pair.includes(label))
              .map(pair => pair.join(' > '))
              .sort()
            """,
            label);

    /// <summary>
    /// Milestones of the page load in ms since navigation start (Navigation/Resource Timing plus the script's
    /// "lineage-drawn" mark), to see where a slow first draw spends its time.
    /// </summary>
    public async Task<string> LoadTimelineAsync() =>
        await page.EvaluateAsync<string>(
            """
            () => {
              const nav = performance.getEntriesByType('navigation')[0];
              const resources = performance.getEntriesByType('resource');
              const span = (part) => {
                const r = resources.find((e) => e.name.includes(part));
                return r ? `${Math.round(r.startTime)}–${Math.round(r.responseEnd)} (${Math.round(r.encodedBodySize / 1024)} KB)` : 'not loaded';
              };
              const drawn = performance.getEntriesByName('lineage-drawn').at(-1);
              return [
                `HTML ${Math.round(nav.responseStart)}–${Math.round(nav.responseEnd)}`,
                `blazor.web.js ${span('blazor.web')}`,
                `circuit ${span('_blazor/negotiate')}`,
                `graph module ${span('LineageGraph.razor.js')}`,
                `cytoscape ${span('cytoscape.esm')}`,
                `dagre ${span('cytoscape-dagre')}`,
                `drawn ${drawn ? Math.round(drawn.startTime) : '?'} (layout ${drawn ? Math.round(drawn.detail) : '?'} ms)`,
              ].join(', ');
            }
            """);

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
