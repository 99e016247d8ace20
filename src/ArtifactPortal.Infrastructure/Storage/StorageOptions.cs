namespace ArtifactPortal.Infrastructure.Storage;

public enum StorageProvider
{
    FileSystem,
    AzureBlob,
}

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.FileSystem;

    /// <summary>Folder for blobs; defaults to "blobs" inside the data directory.</summary>
    public string? RootPath { get; set; }

    /// <summary>Local folder where chunked browser uploads are assembled; defaults to "uploads" inside the data directory.</summary>
    public string? StagingPath { get; set; }

    public AzureBlobStorageOptions AzureBlob { get; set; } = new();
}

public sealed class AzureBlobStorageOptions
{
    public string? ConnectionString { get; set; }

    public string Container { get; set; } = "artifacts";
}
