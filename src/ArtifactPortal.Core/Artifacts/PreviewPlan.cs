namespace ArtifactPortal.Core.Artifacts;

/// <summary>What <see cref="PreviewClassifier"/> decided for one file.</summary>
/// <param name="Format">The format that decides the reader: the extension without its dot (<c>csv</c>, <c>parquet</c>,
/// <c>safetensors</c>), <c>MLmodel</c>, or empty when unknown.</param>
/// <param name="Language">For <see cref="PreviewKind.Text"/>: the highlight.js language (<c>json</c>, <c>yaml</c>, <c>python</c>,
/// <c>log</c>, <c>plaintext</c>, …).</param>
/// <param name="Gzipped">The file is gzip-compressed (<c>.csv.gz</c>); the reader decompresses it as it goes.</param>
/// <param name="Reason">For <see cref="PreviewKind.None"/>: why there is no preview, in words for people.</param>
public sealed record PreviewPlan(PreviewKind Kind, string Format, string? Language = null, bool Gzipped = false, string? Reason = null);
