using ArtifactPortal.Core.Artifacts;
using Parquet;
using Parquet.Serialization;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>The first rows of a Parquet file, reading only the row groups that hold them.</summary>
internal static class ParquetTableReader
{
    private const string Format = "Parquet";

    public static async Task<FilePreview> ReadAsync(string path, long size, Stream content, CancellationToken cancellationToken)
    {
        if (!content.CanSeek)
        {
            if (size > PreviewLimits.MaxParquetSpoolBytes)
            {
                return new UnavailablePreview(path, size, "This Parquet file is too large to preview from this storage.");
            }

            var spooled = await SpoolAsync(content, cancellationToken).ConfigureAwait(false);
            await using (spooled.ConfigureAwait(false))
            {
                return await ReadSeekableAsync(path, size, spooled, cancellationToken).ConfigureAwait(false);
            }
        }

        return await ReadSeekableAsync(path, size, content, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<FilePreview> ReadSeekableAsync(string path, long size, Stream content, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string?>>();
        IReadOnlyList<string> columns = [];
        try
        {
            int rowGroupCount;
            long totalRows;
            var reader = await ParquetReader.CreateAsync(content, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                rowGroupCount = reader.RowGroupCount;
                totalRows = Enumerable.Range(0, rowGroupCount).Sum(i => reader.OpenRowGroupReader(i).RowCount);
                columns = [.. reader.Schema.Fields.Select(f => f.Name)];
            }

            for (var group = 0; group < rowGroupCount && rows.Count < PreviewLimits.MaxRows; group++)
            {
                content.Position = 0;
                var result = await ParquetSerializer.DeserializeUntypedAsync(content, null, group, cancellationToken).ConfigureAwait(false);
                foreach (var record in result.Data.Take(PreviewLimits.MaxRows - rows.Count))
                {
                    rows.Add([.. columns.Select(c => record.TryGetValue(c, out var value) ? PreviewValues.Format(value) : null)]);
                }
            }

            return new TablePreview(path, size, Format, columns, rows, HasMoreRows: totalRows > rows.Count);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException
            or ArgumentException or IndexOutOfRangeException)
        {
            return TableErrors.Partial(path, size, Format, columns, rows, e);
        }
    }

    private static async Task<Stream> SpoolAsync(Stream content, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
