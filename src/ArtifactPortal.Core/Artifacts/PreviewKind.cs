namespace ArtifactPortal.Core.Artifacts;

/// <summary>How the version page shows a file.</summary>
public enum PreviewKind
{
    None,
    Table,
    Image,
    Text,
    Markdown,
    Html,
    Model,
}
