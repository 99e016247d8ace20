namespace ArtifactPortal.Core.Artifacts;

/// <summary>The artifact, version, file or upload does not exist (or sits in a project the caller cannot see): 404.</summary>
public sealed class ArtifactNotFoundException(string message) : Exception(message);

/// <summary>The request clashes with the current state (committed twice, alias taken, …): 409.</summary>
public sealed class ArtifactConflictException(string message) : Exception(message);

/// <summary>The request itself is wrong (bad path, bad range, incomplete files): 400.</summary>
public sealed class ArtifactRequestException(string message) : Exception(message);

/// <summary>The project would exceed its storage quota: 507.</summary>
public sealed class StorageQuotaExceededException(string message) : Exception(message);
