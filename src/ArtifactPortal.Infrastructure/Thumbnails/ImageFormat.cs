namespace ArtifactPortal.Infrastructure.Thumbnails;

public enum ImageFormat
{
    Jpeg,
    Png,
    Gif,
    WebP,
    Tiff,
    Bmp,
}

/// <summary>The image formats thumbnails are made of, recognised by their first bytes (the file name can lie).</summary>
public static class ImageFormats
{
    /// <summary>Bytes <see cref="Detect"/> needs to see.</summary>
    public const int SignatureLength = 12;

    public static ImageFormat? Detect(ReadOnlySpan<byte> start) => start switch
    {
        [0xFF, 0xD8, 0xFF, ..] => ImageFormat.Jpeg,
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => ImageFormat.Png,
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => ImageFormat.Gif,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => ImageFormat.WebP,
        // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
        [(byte)'I', (byte)'I', 42 or 43, 0, ..] or [(byte)'M', (byte)'M', 0, 42 or 43, ..] => ImageFormat.Tiff,
        [(byte)'B', (byte)'M', ..] => ImageFormat.Bmp,
        _ => null,
    };

    /// <summary>A cheap guess from the name or media type, to choose which files to try; the content decides.</summary>
    public static bool LooksLikeImage(string path, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(mediaType);
        if (mediaType.ToLowerInvariant() is "image/jpeg" or "image/png" or "image/gif" or "image/webp" or "image/tiff" or "image/bmp" or "image/x-ms-bmp")
        {
            return true;
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".jpg" or ".jpeg" or ".jpe" or ".jfif" or ".png" or ".gif" or ".webp" or ".tif" or ".tiff" or ".bmp" or ".dib";
    }
}
