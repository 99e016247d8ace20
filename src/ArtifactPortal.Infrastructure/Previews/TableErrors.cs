using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>A table reader that fails part-way keeps the rows it read and says where it stopped.</summary>
internal static class TableErrors
{
    public static FilePreview Partial(
        string path, long size, string format, IReadOnlyList<string> columns, List<IReadOnlyList<string?>> rows, Exception error) =>
        rows.Count == 0 || columns.Count == 0
            ? new UnavailablePreview(path, size, $"Could not read this {format}: {error.Message}", IsError: true)
            : new TablePreview(path, size, format, columns, rows, HasMoreRows: false,
                Warning: $"Could not read this {format} after row {rows.Count}: {error.Message}");
}
