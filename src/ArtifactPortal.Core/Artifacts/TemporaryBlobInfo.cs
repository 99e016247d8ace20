namespace ArtifactPortal.Core.Artifacts;

/// <summary>The temporary of an unfinished put; <see cref="Name"/> is what <see cref="IBlobStore.DeleteTemporaryAsync"/> takes.</summary>
public sealed record TemporaryBlobInfo(string Name, long Length, DateTimeOffset LastModified);
