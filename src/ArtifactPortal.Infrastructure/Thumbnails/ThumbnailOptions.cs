namespace ArtifactPortal.Infrastructure.Thumbnails;

public sealed class ThumbnailOptions
{
    public const string SectionName = "Thumbnails";

    /// <summary>Images whose header claims more pixels are refused before decoding (decompression bombs).</summary>
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Images decoded at the same time in this process; each needs up to ~100 MB while it is decoded.</summary>
    public int MaxParallelImages { get; set; } = 2;

    /// <summary>libvips worker threads per image.</summary>
    public int Concurrency { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>WebP quality, 1–100.</summary>
    public int Quality { get; set; } = 80;

    /// <summary>Most images in an image-folder mosaic (a square grid: 1, 4 or 9 cells are full).</summary>
    public int MosaicImages { get; set; } = 9;
}
