using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.IntegrationTests.Thumbnails;

namespace ArtifactPortal.IntegrationTests.Cli;

public sealed class ThumbnailCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("artifactportal-thumbnail-cli-").FullName;

    [Fact]
    public async Task Thumbnail_PngNamedJpg_WritesWebPOfTheRequestedSize()
    {
        using var photo = TestImages.Photo(900, 600);
        var input = Path.Combine(_folder, "misleading.jpg");
        await File.WriteAllBytesAsync(input, photo.PngsaveBuffer());
        var output = Path.Combine(_folder, "thumb.webp");

        var result = await PortalExecutable.RunAsync(_folder, "thumbnail", input, output, "--size", "128");

        Assert.True(result.ExitCode == 0, $"Exit code {result.ExitCode}: {result.StandardError}");
        Assert.StartsWith($"Wrote {output}: 128 × 85 WebP, ", result.StandardOutput, StringComparison.Ordinal);
        VipsThumbnailerTests.AssertWebP(await File.ReadAllBytesAsync(output), 128, 85).Dispose();
    }

    [Theory]
    [InlineData("notes.png", "notes.png: The file is not an image in a supported format")]
    [InlineData("broken.jpg", "broken.jpg: The JPEG image is damaged or incomplete: ")]
    public async Task Thumbnail_BadInput_FailsWithTheReasonAndWritesNothing(string name, string reason)
    {
        var input = Path.Combine(_folder, name);
        await File.WriteAllBytesAsync(input, name == "notes.png" ? "not a picture\n"u8.ToArray() : BrokenJpeg());
        var output = Path.Combine(_folder, "thumb.webp");

        var result = await PortalExecutable.RunAsync(_folder, "thumbnail", input, output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Thumbnail_NameWithBrackets_IsReadAsAFileNotAsLibvipsOptions()
    {
        using var photo = TestImages.Photo(600, 600);
        var input = Path.Combine(_folder, "photo[q=1].jpg");
        await File.WriteAllBytesAsync(input, photo.JpegsaveBuffer(q: 90));
        var output = Path.Combine(_folder, "thumb.webp");

        var result = await PortalExecutable.RunAsync(_folder, "thumbnail", input, output, "--size", "64");

        Assert.True(result.ExitCode == 0, $"Exit code {result.ExitCode}: {result.StandardError}");
        VipsThumbnailerTests.AssertWebP(await File.ReadAllBytesAsync(output), 64, 64).Dispose();
    }

    [Fact]
    public async Task Thumbnail_SizeOutOfRange_IsABadArgument()
    {
        var result = await PortalExecutable.RunAsync(_folder, "thumbnail", Path.Combine(_folder, "any.png"), Path.Combine(_folder, "out.webp"), "--size", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--size must be between 1 and 2048", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A JPEG whose middle is noise: libjpeg only warns, and the file must still be refused.</summary>
    private static byte[] BrokenJpeg()
    {
        using var photo = TestImages.Photo(800, 600);
        var jpeg = photo.JpegsaveBuffer(q: 90);
        new Random(5).NextBytes(jpeg.AsSpan(jpeg.Length / 2, 2000));
        return jpeg;
    }
}
