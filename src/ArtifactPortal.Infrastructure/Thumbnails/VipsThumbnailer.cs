using System.Globalization;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Core.Thumbnails;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetVips;

namespace ArtifactPortal.Infrastructure.Thumbnails;

/// <summary>
/// Thumbnails with libvips (NetVips): one shrink-on-load decode to the largest size, smaller sizes from that, WebP out.
/// The header is read first and images over <see cref="ThumbnailOptions.MaxPixels"/> are refused before any decoding.
/// </summary>
public sealed partial class VipsThumbnailer : IThumbnailer, IDisposable
{
    private const int MaxSize = 2048;
    private const int MosaicGap = 2;
    private static readonly double[] Background = [245, 245, 245];
    private static readonly Lock ConfigureLock = new();
    private static bool _configured;
    private static ILogger _vipsLogger = NullLogger.Instance;

    private readonly ThumbnailOptions _options;
    private readonly SemaphoreSlim _decodeSlots;

    public VipsThumbnailer(IOptions<ThumbnailOptions> options, ILogger<VipsThumbnailer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _decodeSlots = new SemaphoreSlim(Math.Max(1, _options.MaxParallelImages));
        ConfigureVips(_options, logger ?? (ILogger)NullLogger.Instance);
    }

    public bool IsImage(string path, string mediaType) => ImageFormats.LooksLikeImage(path, mediaType);

    public async Task<IReadOnlyList<byte[]>> CreateAsync(Stream image, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var largest = Largest(sizes);
        var source = await SeekableAsync(image, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            using var thumbnail = await DecodeAsync(source.Stream, largest, crop: false, cancellationToken).ConfigureAwait(false);
            return Encode(thumbnail, sizes);
        }
    }

    /// <summary>
    /// A local file (the `thumbnail` command): the same checks, but libvips reads the file itself instead of through a stream
    /// callback — for a 6000 × 4000 JPEG ~20% less CPU and about half the wall time.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> CreateFromFileAsync(string path, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        var largest = Largest(sizes);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            // libvips would read options from a name ending in "[…]": such a name goes through the stream.
            using var thumbnail = await DecodeAsync(stream, largest, crop: false, cancellationToken, path.Contains('[', StringComparison.Ordinal) ? null : path)
                .ConfigureAwait(false);
            return Encode(thumbnail, sizes);
        }
    }

    public async Task<IReadOnlyList<byte[]>> CreateMosaicAsync(
        IReadOnlyList<Func<CancellationToken, Task<Stream>>> images, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var largest = Largest(sizes);
        var wanted = Math.Clamp(Math.Min(images.Count, _options.MosaicImages), 1, 9);
        var columns = wanted switch { 1 => 1, <= 4 => 2, _ => 3 };
        var tileSize = (largest - ((columns - 1) * MosaicGap)) / columns;
        var tiles = new List<Image>();
        string? firstProblem = null;
        try
        {
            foreach (var open in images)
            {
                if (tiles.Count == wanted)
                {
                    break;
                }

                var stream = await open(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    try
                    {
                        var source = await SeekableAsync(stream, cancellationToken).ConfigureAwait(false);
                        await using (source.ConfigureAwait(false))
                        {
                            tiles.Add(await DecodeAsync(source.Stream, tileSize, crop: true, cancellationToken).ConfigureAwait(false));
                        }
                    }
                    catch (ImageRejectedException e)
                    {
                        // One bad picture does not spoil the folder's mosaic.
                        firstProblem ??= e.Message;
                    }
                }
            }

            if (tiles.Count == 0)
            {
                throw new ImageRejectedException(images.Count == 0
                    ? "The folder has no images for a mosaic."
                    : $"None of the first {images.Count} images could be read. {firstProblem}");
            }

            using var grid = Image.Arrayjoin([.. tiles], across: columns, shim: MosaicGap, background: Background);
            // Square, whatever the count: the grid fills from the top, a single row sits in the middle.
            var direction = tiles.Count <= columns ? Enums.CompassDirection.Centre : Enums.CompassDirection.North;
            using var mosaic = grid.Gravity(direction, largest, largest, extend: Enums.Extend.Background, background: Background);
            using var inMemory = mosaic.CopyMemory();
            return Encode(inMemory, sizes);
        }
        finally
        {
            foreach (var tile in tiles)
            {
                tile.Dispose();
            }
        }
    }

    public async Task<IReadOnlyList<byte[]>> CreateChartAsync(FileStatistics statistics, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var largest = Largest(sizes);
        var svg = StatisticsChart.Svg(statistics, largest, largest * 3 / 4)
            ?? throw new ImageRejectedException("The file has no numeric or categorical column to chart.");
        await _decodeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var drawn = Image.SvgloadBuffer(svg);
            using var opaque = drawn.HasAlpha() ? drawn.Flatten(background: [255, 255, 255]) : drawn.Copy();
            using var chart = opaque.CopyMemory();
            return Encode(chart, sizes);
        }
        finally
        {
            _decodeSlots.Release();
        }
    }

    public void Dispose() => _decodeSlots.Dispose();

    /// <summary>Width and height of an encoded image, from its header.</summary>
    public static (int Width, int Height) Dimensions(byte[] encoded)
    {
        using var image = Image.NewFromBuffer(encoded, access: Enums.Access.Sequential);
        return (image.Width, image.Height);
    }

    /// <summary>Header check, then one decode to fit <paramref name="size"/>; the result is in memory (no file handles).</summary>
    private async Task<Image> DecodeAsync(Stream stream, int size, bool crop, CancellationToken cancellationToken, string? path = null)
    {
        var signature = new byte[ImageFormats.SignatureLength];
        var read = await stream.ReadAtLeastAsync(signature, signature.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new ImageRejectedException("The file is empty.");
        }

        var format = ImageFormats.Detect(signature.AsSpan(0, read))
            ?? throw new ImageRejectedException("The file is not an image in a supported format (JPEG, PNG, WebP, GIF, TIFF or BMP): its content does not start like one, whatever its name says.");
        stream.Position = 0;
        await _decodeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Decode(stream, path, format, size, crop, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _decodeSlots.Release();
        }
    }

    /// <param name="path">The same file by name, for libvips to read directly; null to read <paramref name="stream"/>.</param>
    private Image Decode(Stream stream, string? path, ImageFormat format, int size, bool crop, CancellationToken cancellationToken)
    {
        var name = format.ToString().ToUpperInvariant();
        try
        {
            if (format == ImageFormat.Bmp)
            {
                using var reduced = BmpReader.Read(stream, size, (width, height) => CheckPixelCount(width, height, name));
                using var bmp = reduced.ThumbnailImage(size, height: size, size: crop ? Enums.Size.Both : Enums.Size.Down,
                    crop: crop ? Enums.Interesting.Centre : null);
                using var bmpRgb = crop ? Displayable(bmp) : bmp.Copy();
                return bmpRgb.CopyMemory();
            }

            using (var header = path is null
                       ? Image.NewFromStream(stream, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error)
                       : Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error))
            {
                CheckPixelCount(header.Width, header.Height, name);
            }

            stream.Position = 0;
            // libjpeg reports a damaged body only as a warning and would fill it with grey.
            var jpeg = format == ImageFormat.Jpeg;
            var (fit, interesting) = (crop ? Enums.Size.Both : Enums.Size.Down, crop ? Enums.Interesting.Centre : (Enums.Interesting?)null);
            using var lazy = path is null
                ? Image.ThumbnailStream(stream, size, optionString: jpeg ? "fail_on=warning" : "fail_on=error", height: size, size: fit, crop: interesting)
                : Image.Thumbnail(path, size, height: size, size: fit, crop: interesting, failOn: jpeg ? Enums.FailOn.Warning : Enums.FailOn.Error);
            lazy.SetProgress(null, cancellationToken);
            using var rgb = crop ? Displayable(lazy) : lazy.Copy();
            return rgb.CopyMemory();
        }
        catch (VipsException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new ImageRejectedException($"The {name} image is damaged or incomplete: {Describe(e)}", e);
        }
    }

    private void CheckPixelCount(long width, long height, string format)
    {
        if (width * height > _options.MaxPixels)
        {
            throw new ImageRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"The {format} image is {width:N0} × {height:N0} pixels ({width * height / 1e6:N0} megapixels), over the limit of {_options.MaxPixels / 1e6:N0} megapixels; it was not decoded."));
        }
    }

    /// <summary>Three 8-bit sRGB bands on a light background, so tiles of any kind of image can be joined.</summary>
    private static Image Displayable(Image image)
    {
        using var srgb = image.Interpretation == Enums.Interpretation.Srgb ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        return srgb.HasAlpha() ? srgb.Flatten(background: Background) : srgb.Copy();
    }

    private byte[][] Encode(Image largest, IReadOnlyList<int> sizes)
    {
        var encoded = new byte[sizes.Count][];
        for (var i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] >= Math.Max(largest.Width, largest.Height))
            {
                encoded[i] = Webp(largest);
                continue;
            }

            using var smaller = largest.ThumbnailImage(sizes[i], height: sizes[i], size: Enums.Size.Down);
            encoded[i] = Webp(smaller);
        }

        return encoded;
    }

    // Metadata is dropped: the orientation is already applied, and EXIF could carry GPS positions.
    private byte[] Webp(Image image) => image.WebpsaveBuffer(q: _options.Quality, keep: Enums.ForeignKeep.None);

    private static int Largest(IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count == 0 || sizes.Any(s => s is < 1 or > MaxSize))
        {
            throw new ArgumentOutOfRangeException(nameof(sizes), $"Give one or more sizes between 1 and {MaxSize} pixels.");
        }

        return sizes.Max();
    }

    /// <summary>The stream itself when it can seek from its start (the header is read before the image); else a temporary copy.</summary>
    private static async Task<SeekableSource> SeekableAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (stream.CanSeek && stream.Position == 0)
        {
            return new SeekableSource(stream, Owned: false);
        }

        var copy = new FileStream(Path.Combine(Path.GetTempPath(), $"artifactportal-thumbnail-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return new SeekableSource(copy, Owned: true);
        }
        catch
        {
            await copy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Describe(VipsException exception)
    {
        var lines = exception.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("unable to call", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return lines.Count == 0 ? "libvips gave no reason." : string.Join("; ", lines);
    }

    private static void ConfigureVips(ThumbnailOptions options, ILogger logger)
    {
        lock (ConfigureLock)
        {
            _vipsLogger = logger;
            if (_configured)
            {
                return;
            }

            // No operation cache: every thumbnail is of a different file, and the cache would keep decoded pixels alive.
            Cache.Max = 0;
            Cache.MaxMem = 0;
            Cache.MaxFiles = 0;
            NetVips.NetVips.Concurrency = Math.Max(1, options.Concurrency);
            // Only the loaders libvips considers safe for untrusted input (no ImageMagick, MATLAB, FITS …).
            NetVips.NetVips.BlockUntrusted = true;
            // librsvg counts as untrusted; it only ever reads the charts drawn here, input is routed by its first bytes.
            Operation.Block("VipsForeignLoadSvg", false);
            // libvips warns on stderr about every damaged image; those images are rejected with the reason anyway.
            Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Message | Enums.LogLevelFlags.Info | Enums.LogLevelFlags.Debug,
                (domain, _, message) => LogVips(_vipsLogger, domain, message));
            _configured = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Domain}: {Message}")]
    private static partial void LogVips(ILogger logger, string domain, string message);

    private sealed record SeekableSource(Stream Stream, bool Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned ? Stream.DisposeAsync() : ValueTask.CompletedTask;
    }
}
