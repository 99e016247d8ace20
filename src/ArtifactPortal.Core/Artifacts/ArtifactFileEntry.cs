namespace ArtifactPortal.Core.Artifacts;

/// <summary>One file of an artifact version as the file tree and previews see it: no database identity.</summary>
/// <param name="Path">Relative path with forward slashes, e.g. <c>data/train.csv</c>.</param>
public sealed record ArtifactFileEntry(string Path, long Size, string Sha256, string MediaType);
