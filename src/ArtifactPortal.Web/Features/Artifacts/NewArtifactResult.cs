namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>What <see cref="NewArtifactDialog"/> closes with: the new artifact and the number of its first version.</summary>
public sealed record NewArtifactResult(string Name, int Version);
