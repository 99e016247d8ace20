namespace ArtifactPortal.Core.Accounts;

/// <summary>The caller may not do this; pages show "not found" or "forbidden", the API answers 403/404.</summary>
public sealed class PortalAccessDeniedException(string message) : Exception(message);
