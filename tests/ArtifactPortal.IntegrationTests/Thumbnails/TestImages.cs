using System.Buffers.Binary;
using System.Text;
using NetVips;

namespace ArtifactPortal.IntegrationTests.Thumbnails;

/// <summary>Real images made with libvips (and by hand where libvips has no writer), for the thumbnail tests.</summary>
internal static class TestImages
{
    /// <summary>A colour gradient with noise, so encoders work as on a photo.</summary>
    public static Image Photo(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var red = xy[0] * (255.0 / width);
        using var green = xy[1] * (255.0 / height);
        using var blue = (xy[0] + xy[1]) * (255.0 / (width + height));
        using var gradient = red.Bandjoin(green, blue);
        using var noise = Image.Gaussnoise(width, height, sigma: 12);
        using var noisy = gradient + noise;
        return noisy.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>Left half red, right half blue: a rotation shows where red ends up.</summary>
    public static Image Halves(int width, int height)
    {
        using var red = Image.Black(width / 2, height, bands: 3) + new double[] { 220, 20, 20 };
        using var blue = Image.Black(width - (width / 2), height, bands: 3) + new double[] { 20, 20, 220 };
        using var joined = red.Join(blue, Enums.Direction.Horizontal);
        return joined.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static Image Solid(int width, int height, double[] rgb)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var coloured = black + rgb;
        return coloured.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>A JPEG whose EXIF says "rotate 90° clockwise to display" (orientation 6).</summary>
    public static byte[] JpegWithOrientation6(Image image)
    {
        using var tagged = image.Mutate(m => m.Set(GValue.GIntType, "orientation", 6));
        return tagged.JpegsaveBuffer(q: 90);
    }

    /// <summary>An animated GIF: one frame per colour, each <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static byte[] AnimatedGif(int width, int height, params double[][] colours)
    {
        var frames = colours.Select(c => Solid(width, height, c)).ToArray();
        try
        {
            using var strip = Image.Arrayjoin(frames, across: 1);
            using var animated = strip.Mutate(m =>
            {
                m.Set(GValue.GIntType, "page-height", height);
                m.Set(GValue.ArrayIntType, "delay", Enumerable.Repeat(100, colours.Length).ToArray());
            });
            return animated.GifsaveBuffer();
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }
        }
    }

    /// <summary>An uncompressed 24-bit BMP (libvips has no BMP writer).</summary>
    public static byte[] Bmp(Image image)
    {
        var rgb = image.WriteToMemory<byte>();
        var rowBytes = ((image.Width * 3) + 3) & ~3;
        var bmp = new byte[54 + (rowBytes * image.Height)];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), image.Height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), rowBytes * image.Height);
        for (var y = 0; y < image.Height; y++)
        {
            // Rows bottom-up, pixels as blue, green, red.
            var row = 54 + ((image.Height - 1 - y) * rowBytes);
            for (var x = 0; x < image.Width; x++)
            {
                var source = ((y * image.Width) + x) * 3;
                bmp[row + (x * 3)] = rgb[source + 2];
                bmp[row + (x * 3) + 1] = rgb[source + 1];
                bmp[row + (x * 3) + 2] = rgb[source];
            }
        }

        return bmp;
    }

    /// <summary>A valid PNG signature and IHDR (correct CRC) claiming <paramref name="width"/> × <paramref name="height"/> RGB pixels, and almost no data.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per sample
        header[9] = 2; // RGB
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        png.Write(chunk);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, as in the PNG specification's sample code).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
