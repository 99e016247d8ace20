using System.Diagnostics;
using System.Text;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Core.Thumbnails;
using ArtifactPortal.Infrastructure.Thumbnails;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NetVips;

namespace ArtifactPortal.IntegrationTests.Thumbnails;

public sealed class VipsThumbnailerTests : IDisposable
{
    private static readonly int[] Sizes = [256, 64];
    private static readonly double[] Red = [220, 20, 20];
    private static readonly double[] Green = [20, 200, 20];

    private readonly VipsThumbnailer _thumbnailer = new(Options.Create(new ThumbnailOptions()));

    [Fact]
    public async Task CreateAsync_LargeJpeg_ReturnsWebPAt256And64PixelsLongestSide()
    {
        using var photo = TestImages.Photo(1500, 1000);

        var thumbnails = await CreateAsync(photo.JpegsaveBuffer(q: 90), Sizes);

        Assert.Equal(2, thumbnails.Count);
        AssertWebP(thumbnails[0], 256, 171);
        AssertWebP(thumbnails[1], 64, 43);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("tiff")]
    [InlineData("gif")]
    public async Task CreateAsync_EachSupportedFormat_ReturnsWebP(string format)
    {
        using var photo = TestImages.Photo(600, 900);
        var bytes = format switch
        {
            "png" => photo.PngsaveBuffer(),
            "webp" => photo.WebpsaveBuffer(),
            "tiff" => photo.TiffsaveBuffer(),
            _ => photo.GifsaveBuffer(),
        };

        var thumbnails = await CreateAsync(bytes, Sizes);

        AssertWebP(thumbnails[0], 171, 256);
        AssertWebP(thumbnails[1], 43, 64);
    }

    [Fact]
    public async Task CreateAsync_JpegWithExifOrientation6_IsPortraitWithTheStoredLeftSideOnTop()
    {
        // Stored landscape, left half red; orientation 6 means "turn 90° clockwise to display", which puts the left side on top.
        using var halves = TestImages.Halves(400, 200);
        var jpeg = TestImages.JpegWithOrientation6(halves);
        using (var stored = Image.NewFromBuffer(jpeg))
        {
            Assert.Equal(6, (int)stored.Get("orientation"));
        }

        var thumbnails = await CreateAsync(jpeg, [256]);

        using var thumbnail = AssertWebP(thumbnails[0], 128, 256);
        AssertColour(Red, thumbnail.Getpoint(64, 20));
        AssertColour([20, 20, 220], thumbnail.Getpoint(64, 236));
        Assert.False(thumbnail.Contains("orientation") && (int)thumbnail.Get("orientation") != 1, "The rotation is applied, not left to the viewer.");
    }

    [Fact]
    public async Task CreateAsync_AnimatedGif_UsesTheFirstFrameAndDoesNotEnlarge()
    {
        var gif = TestImages.AnimatedGif(100, 60, Red, Green);
        using (var all = Image.NewFromBuffer(gif, "n=-1"))
        {
            Assert.Equal(120, all.Height);
        }

        var thumbnails = await CreateAsync(gif, Sizes);

        using var first = AssertWebP(thumbnails[0], 100, 60);
        AssertColour(Red, first.Getpoint(50, 30));
        AssertWebP(thumbnails[1], 64, 38).Dispose();
    }

    [Fact]
    public async Task CreateAsync_PngWhoseHeaderClaims50000By50000Pixels_IsRefusedFromTheHeaderWithoutDecoding()
    {
        var bomb = TestImages.PngClaiming(50_000, 50_000);
        var stopwatch = Stopwatch.StartNew();

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => CreateAsync(bomb, Sizes));

        stopwatch.Stop();
        // The data behind the header is a few bytes: had it been decoded, the error would be about damage, not size.
        Assert.Equal("The PNG image is 50,000 × 50,000 pixels (2,500 megapixels), over the limit of 100 megapixels; it was not decoded.", rejected.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"Took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task AddPortalThumbnails_MaxPixelsFromConfiguration_IsTheLimit()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Thumbnails:MaxPixels"] = "10000" }).Build();
        await using var services = new ServiceCollection().AddLogging().AddPortalThumbnails(configuration).BuildServiceProvider();
        var thumbnailer = services.GetRequiredService<IThumbnailer>();
        using var square = TestImages.Photo(100, 100);
        using var wide = TestImages.Photo(101, 100);

        using var fits = new MemoryStream(square.PngsaveBuffer());
        AssertWebP((await thumbnailer.CreateAsync(fits, [64], CancellationToken.None))[0], 64, 64).Dispose();
        using var over = new MemoryStream(wide.PngsaveBuffer());
        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => thumbnailer.CreateAsync(over, [64], CancellationToken.None));
        Assert.Contains("101 × 100 pixels", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_JpegWithBrokenBody_IsRejectedAsDamagedInsteadOfGrey()
    {
        using var photo = TestImages.Photo(800, 600);
        var jpeg = photo.JpegsaveBuffer(q: 90);
        new Random(5).NextBytes(jpeg.AsSpan(jpeg.Length / 2, 2000));

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => CreateAsync(jpeg, Sizes));

        Assert.StartsWith("The JPEG image is damaged or incomplete: ", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("Corrupt JPEG data", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_TruncatedPng_IsRejectedAsDamaged()
    {
        using var photo = TestImages.Photo(800, 600);
        var png = photo.PngsaveBuffer();

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => CreateAsync(png[..(png.Length / 2)], Sizes));

        Assert.StartsWith("The PNG image is damaged or incomplete: ", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_TextFileNamedPng_LooksLikeAnImageByNameButIsRejectedByContent()
    {
        Assert.True(_thumbnailer.IsImage("notes.png", "image/png"));

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => CreateAsync(Encoding.UTF8.GetBytes("just some notes\n"), Sizes));

        Assert.Contains("not an image in a supported format", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_EmptyFile_IsRejected()
    {
        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => CreateAsync([], Sizes));

        Assert.Equal("The file is empty.", rejected.Message);
    }

    [Fact]
    public async Task CreateAsync_StreamThatCannotSeek_StillWorks()
    {
        using var photo = TestImages.Photo(640, 480);
        using var stream = new ForwardOnlyStream(photo.PngsaveBuffer());

        var thumbnails = await _thumbnailer.CreateAsync(stream, Sizes, CancellationToken.None);

        AssertWebP(thumbnails[0], 256, 192).Dispose();
    }

    [Theory]
    [InlineData("photo.JPG", "application/octet-stream", true)]
    [InlineData("scan.tiff", "application/octet-stream", true)]
    [InlineData("data/blob", "image/webp", true)]
    [InlineData("report.pdf", "application/pdf", false)]
    [InlineData("table.csv", "text/csv", false)]
    public void IsImage_ByNameOrMediaType(string path, string mediaType, bool expected) =>
        Assert.Equal(expected, _thumbnailer.IsImage(path, mediaType));

    [Fact]
    public async Task CreateMosaicAsync_SixImagesOneBroken_JoinsTheFiveGoodOnesInASquare()
    {
        var files = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            using var solid = TestImages.Solid(300 + (i * 40), 200, [40 * i, 100, 255 - (40 * i)]);
            files.Add(i == 2 ? Encoding.UTF8.GetBytes("not a picture") : solid.JpegsaveBuffer());
        }

        var opened = 0;
        var thumbnails = await _thumbnailer.CreateMosaicAsync(
            [.. files.Select(bytes => (Func<CancellationToken, Task<Stream>>)(_ => { opened++; return Task.FromResult<Stream>(new MemoryStream(bytes)); }))],
            Sizes, CancellationToken.None);

        Assert.Equal(6, opened);
        using var mosaic = AssertWebP(thumbnails[0], 256, 256);
        // Five tiles in a 3 × 3 grid of 84 px cells: the first cell is the first picture, the sixth cell is empty background.
        AssertColour([0, 100, 255], mosaic.Getpoint(40, 40));
        AssertColour([245, 245, 245], mosaic.Getpoint(215, 130));
        AssertWebP(thumbnails[1], 64, 64).Dispose();
    }

    [Fact]
    public async Task CreateMosaicAsync_NoReadableImage_IsRejectedWithTheReason()
    {
        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => _thumbnailer.CreateMosaicAsync(
            [_ => Task.FromResult<Stream>(new MemoryStream([])), _ => Task.FromResult<Stream>(new MemoryStream("x"u8.ToArray()))],
            Sizes, CancellationToken.None));

        Assert.Equal("None of the first 2 images could be read. The file is empty.", rejected.Message);
    }

    [Fact]
    public async Task CreateChartAsync_TwoNumericColumns_DrawsTheirHistograms()
    {
        var statistics = Statistics(
            Numeric("price", [1, 5, 9, 12, 7, 3, 1]),
            Numeric("quantity", [10, 2, 1]),
            new ColumnStatistics { Name = "city", Type = ColumnType.String, Count = 3, Nulls = 0, Distinct = 3, DistinctIsEstimate = false });

        var thumbnails = await _thumbnailer.CreateChartAsync(statistics, Sizes, CancellationToken.None);

        using var chart = AssertWebP(thumbnails[0], 256, 192);
        using var small = AssertWebP(thumbnails[1], 64, 48);
        // Bars are drawn in colour on white: the left panel's tallest bar (12 of 12) reaches high, the right panel's first (10 of 10) too.
        Assert.True(chart.Getpoint(10, 10) is [> 240, > 240, > 240, ..], "The corner is background.");
        Assert.True(IsBar(chart.Getpoint(76, 120)), "price: the 4th bin (12) is a bar");
        Assert.True(IsBar(chart.Getpoint(160, 120)), "quantity: the 1st bin (10) is a bar");
        Assert.False(IsBar(chart.Getpoint(230, 120)), "quantity: the 3rd bin (1) is short");
    }

    [Fact]
    public async Task CreateChartAsync_NoColumnWithADistribution_IsRejected()
    {
        var statistics = Statistics(new ColumnStatistics { Name = "id", Type = ColumnType.String, Count = 0, Nulls = 5, Distinct = 0, DistinctIsEstimate = false });

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => _thumbnailer.CreateChartAsync(statistics, Sizes, CancellationToken.None));

        Assert.Equal("The file has no numeric or categorical column to chart.", rejected.Message);
    }

    [Fact]
    public async Task CreateAsync_SizeOutOfRange_IsAnArgumentError()
    {
        using var photo = TestImages.Photo(64, 64);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CreateAsync(photo.PngsaveBuffer(), [0]));
    }

    public void Dispose() => _thumbnailer.Dispose();

    private async Task<IReadOnlyList<byte[]>> CreateAsync(byte[] file, IReadOnlyList<int> sizes)
    {
        using var stream = new MemoryStream(file);
        return await _thumbnailer.CreateAsync(stream, sizes, CancellationToken.None);
    }

    /// <summary>The bytes are a WebP of exactly this size; returns it decoded.</summary>
    internal static Image AssertWebP(byte[] bytes, int width, int height)
    {
        Assert.True(bytes.Length > 12 && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WEBP"u8), "Not a WebP file.");
        var image = Image.NewFromBuffer(bytes);
        Assert.Equal((width, height), (image.Width, image.Height));
        return image;
    }

    private static void AssertColour(double[] expected, double[] actual) =>
        Assert.True(expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) < 40),
            $"Expected about ({string.Join(", ", expected)}), got ({string.Join(", ", actual)}).");

    private static bool IsBar(double[] pixel) => pixel[0] < 200 || pixel[1] < 200 || pixel[2] < 200;

    private static FileStatistics Statistics(params ColumnStatistics[] columns) => new()
    {
        Format = "csv",
        SizeBytes = 100,
        RowCount = 50,
        DuplicateRowEstimate = 0,
        Columns = columns,
        Warnings = [],
    };

    private static ColumnStatistics Numeric(string name, long[] counts) => new()
    {
        Name = name,
        Type = ColumnType.Float,
        Count = counts.Sum(),
        Nulls = 0,
        Distinct = counts.Length,
        DistinctIsEstimate = false,
        Histogram = new Histogram([.. Enumerable.Range(0, counts.Length + 1).Select(i => (double)i)], counts),
    };

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
