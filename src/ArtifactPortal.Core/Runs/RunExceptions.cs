namespace ArtifactPortal.Core.Runs;

/// <summary>The run or experiment does not exist (or sits in a project the caller cannot see): 404.</summary>
public sealed class RunNotFoundException(string message) : Exception(message);

/// <summary>The request clashes with the run's state (ended, param already set, name taken): 409.</summary>
public sealed class RunConflictException(string message) : Exception(message);

/// <summary>The request itself is wrong (too long, bad status, bad filter): 400. The message names the offending key.</summary>
public sealed class RunRequestException(string message) : Exception(message);
