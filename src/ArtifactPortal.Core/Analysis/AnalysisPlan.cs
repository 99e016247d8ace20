using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Core.Thumbnails;

namespace ArtifactPortal.Core.Analysis;

/// <summary>
/// Which analyses a version's files call for: statistics for tabular files; thumbnails for images (a mosaic for several)
/// or, without images, a chart of the first tabular file. HTML and PDF get no job: the pages show a generic icon.
/// </summary>
public sealed record AnalysisPlan(IReadOnlyList<ArtifactFileEntry> TabularFiles, IReadOnlyList<ArtifactFileEntry> Images)
{
    public IReadOnlyList<AnalysisKind> Kinds =>
    [
        .. TabularFiles.Count > 0 ? [AnalysisKind.Statistics] : Array.Empty<AnalysisKind>(),
        .. TabularFiles.Count > 0 || Images.Count > 0 ? [AnalysisKind.Thumbnail] : Array.Empty<AnalysisKind>(),
    ];

    public static AnalysisPlan For(IEnumerable<ArtifactFileEntry> files, IFileStatisticsCalculator statistics, IThumbnailer thumbnailer)
    {
        var ordered = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return new AnalysisPlan(
            [.. ordered.Where(f => statistics.CanCalculate(f.Path, f.MediaType))],
            [.. ordered.Where(f => thumbnailer.IsImage(f.Path, f.MediaType))]);
    }
}
