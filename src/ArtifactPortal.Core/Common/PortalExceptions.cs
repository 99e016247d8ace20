namespace ArtifactPortal.Core.Common;

/// <summary>The item (artifact, version, file, upload, run, experiment, webhook…) does not exist, or sits in a project the caller cannot see: 404.</summary>
public sealed class PortalNotFoundException(string message) : Exception(message);

/// <summary>The request clashes with the current state (committed twice, alias taken, run ended, name taken…): 409.</summary>
public sealed class PortalConflictException(string message) : Exception(message);

/// <summary>The request itself is wrong (bad path, bad range, too long, bad status…): 400. The message names what is wrong.</summary>
public sealed class PortalRequestException(string message) : Exception(message);
