using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/s/{secret}, what a share link opens, and /p/{slug}/share-links, where maintainers manage the links.</summary>
public sealed class SharePages(IPage page) : PortalLayout(page)
{
    public ILocator Heading => Page.GetByTestId("version-title");

    public ILocator SharedVersion => Page.GetByTestId("shared-version");

    public ILocator Invalid => Page.GetByTestId("share-link-invalid");

    /// <summary>The page is static (no circuit for anonymous people): choosing a file is a link.</summary>
    public ILocator FileLink(string path) => Page.GetByTestId("version-files").GetByRole(AriaRole.Link, new() { Name = path, Exact = true });

    public ILocator Preview => Page.GetByTestId("file-preview");

    public ILocator DownloadZip => Page.GetByTestId("download-zip");

    public ILocator LinkRows => Page.GetByTestId("share-links-table").Locator("tbody tr");

    public ILocator Status => Page.GetByTestId("share-link-status");

    public ILocator Uses => Page.GetByTestId("share-link-uses");

    public ILocator RevokeButton => Page.GetByTestId("revoke-share-link");

    public ILocator ConfirmRevoke => Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" });
}
