namespace ArtifactPortal.Core.Artifacts;

/// <summary>The outcome of a put: the content's hash and length, and whether the store already held it.</summary>
public sealed record StoredBlob(string Sha256, long Length, bool AlreadyExisted);
