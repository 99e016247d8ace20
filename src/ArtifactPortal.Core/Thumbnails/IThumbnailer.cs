using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Thumbnails;

/// <summary>Makes small WebP thumbnails; every method returns one encoded image per requested size, in order.</summary>
public interface IThumbnailer
{
    /// <summary>JPEG, PNG, WebP, GIF (first frame), TIFF, BMP, detected from content, not the file name.</summary>
    bool IsImage(string path, string mediaType);

    /// <summary>Honours EXIF orientation; refuses images over the pixel limit from their header, before decoding.</summary>
    /// <exception cref="ImageRejectedException">Not an image, corrupt, or over the pixel limit.</exception>
    Task<IReadOnlyList<byte[]>> CreateAsync(Stream image, IReadOnlyList<int> sizes, CancellationToken cancellationToken);

    /// <summary>A grid of the first images of an image-folder dataset (each opened lazily, in order).</summary>
    Task<IReadOnlyList<byte[]>> CreateMosaicAsync(
        IReadOnlyList<Func<CancellationToken, Task<Stream>>> images, IReadOnlyList<int> sizes, CancellationToken cancellationToken);

    /// <summary>A small chart (histograms) of the first numeric columns of a tabular file.</summary>
    Task<IReadOnlyList<byte[]>> CreateChartAsync(FileStatistics statistics, IReadOnlyList<int> sizes, CancellationToken cancellationToken);
}

/// <summary>Bad image input; retrying cannot help.</summary>
public sealed class ImageRejectedException(string message, Exception? inner = null) : Exception(message, inner);
