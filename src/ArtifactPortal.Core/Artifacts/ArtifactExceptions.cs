namespace ArtifactPortal.Core.Artifacts;

/// <summary>The project would exceed its storage quota: 507.</summary>
public sealed class StorageQuotaExceededException(string message) : Exception(message);
