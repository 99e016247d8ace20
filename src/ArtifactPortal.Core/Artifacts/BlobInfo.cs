namespace ArtifactPortal.Core.Artifacts;

public sealed record BlobInfo(string Sha256, long Length, DateTimeOffset LastModified);
