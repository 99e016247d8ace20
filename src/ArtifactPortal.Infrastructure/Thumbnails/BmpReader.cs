using System.Runtime.InteropServices;
using ArtifactPortal.Core.Thumbnails;
using NetVips;
using SkiaSharp;

namespace ArtifactPortal.Infrastructure.Thumbnails;

/// <summary>
/// BMP through Skia, row by row, averaged down on the fly to about twice the thumbnail size: memory stays that of the
/// small image whatever the BMP's size (libvips reads BMP only through ImageMagick, which is not in NetVips.Native).
/// </summary>
internal static class BmpReader
{
    public static Image Read(Stream stream, int size, Action<long, long> checkPixelCount)
    {
        using var codec = SKCodec.Create(stream, out var opened)
            ?? throw new ImageRejectedException($"The BMP image could not be read: {opened}.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        checkPixelCount(width, height);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var started = codec.StartScanlineDecode(info);
        if (started != SKCodecResult.Success)
        {
            throw new ImageRejectedException($"The BMP image could not be decoded: {started}.");
        }

        var factor = Math.Max(1, Math.Max(width, height) / (2 * size));
        var (outWidth, outHeight) = ((width + factor - 1) / factor, (height + factor - 1) / factor);
        var sums = new long[outWidth * outHeight * 4];
        var counts = new int[outWidth * outHeight];
        var row = new byte[width * 4];
        var handle = GCHandle.Alloc(row, GCHandleType.Pinned);
        try
        {
            for (var line = 0; line < height; line++)
            {
                if (codec.GetScanlines(handle.AddrOfPinnedObject(), 1, row.Length) != 1)
                {
                    throw new ImageRejectedException($"The BMP image is damaged or incomplete: row {line + 1} of {height} could not be decoded.");
                }

                // Bottom-up BMPs deliver their last row first.
                var target = codec.GetOutputScanline(line) / factor * outWidth;
                for (var x = 0; x < width; x++)
                {
                    var cell = target + (x / factor);
                    counts[cell]++;
                    for (var band = 0; band < 4; band++)
                    {
                        sums[(cell * 4) + band] += row[(x * 4) + band];
                    }
                }
            }
        }
        finally
        {
            handle.Free();
        }

        var pixels = new byte[sums.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((sums[i] + (counts[i / 4] / 2)) / Math.Max(1, counts[i / 4]));
        }

        using var rgba = Image.NewFromMemory(pixels, outWidth, outHeight, 4, Enums.BandFormat.Uchar);
        using var srgb = rgba.Copy(interpretation: Enums.Interpretation.Srgb);
        return codec.Info.AlphaType == SKAlphaType.Opaque ? srgb.ExtractBand(0, n: 3) : srgb.Copy();
    }
}
