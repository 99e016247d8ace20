namespace ArtifactPortal.Infrastructure.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder for blobs; defaults to "blobs" inside the data directory.</summary>
    public string? RootPath { get; set; }
}
