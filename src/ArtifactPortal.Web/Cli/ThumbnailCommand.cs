using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ArtifactPortal.Core.Thumbnails;
using ArtifactPortal.Infrastructure.Thumbnails;
using ArtifactPortal.Web.Hosting;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Web.Cli;

/// <summary>`thumbnail FILE OUT.webp [--size 256]`: the portal's thumbnail engine on one local file, without web server or database.</summary>
internal static class ThumbnailCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The image: JPEG, PNG, WebP, GIF (first frame), TIFF or BMP, recognised by its content." };
        var output = new Argument<string>("OUT") { Description = "Where to write the WebP thumbnail." };
        var size = new Option<int>("--size") { Description = "Longest side in pixels, 1–2048 (default 256).", DefaultValueFactory = _ => 256 };
        var command = new Command("thumbnail", "Write a WebP thumbnail of a local image, as the portal makes them.") { file, output, size };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var input = parseResult.GetRequiredValue(file);
            var target = parseResult.GetRequiredValue(output);
            var longest = parseResult.GetValue(size);
            if (longest is < 1 or > 2048)
            {
                return Fail($"--size must be between 1 and 2048, not {longest}.", ExitCodes.BadArguments);
            }

            if (!File.Exists(input))
            {
                return Fail($"{input}: no such file.");
            }

            var stopwatch = Stopwatch.StartNew();
            using var thumbnailer = new VipsThumbnailer(Options.Create(ReadOptions()));
            byte[] webp;
            try
            {
                webp = (await thumbnailer.CreateFromFileAsync(input, [longest], cancellationToken).ConfigureAwait(false))[0];
            }
            catch (ImageRejectedException e)
            {
                return Fail($"{input}: {e.Message}");
            }

            try
            {
                await File.WriteAllBytesAsync(target, webp, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail($"Could not write {target}: {e.Message}");
            }

            var (width, height) = VipsThumbnailer.Dimensions(webp);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {target}: {width} × {height} WebP, {webp.Length:N0} bytes, in {stopwatch.Elapsed.TotalMilliseconds:F0} ms."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The "Thumbnails" settings from ARTIFACTPORTAL_Thumbnails__… variables, like the portal's; no host is started.</summary>
    private static ThumbnailOptions ReadOptions() =>
        new ConfigurationBuilder().AddEnvironmentVariables(PortalHostingExtensions.EnvironmentPrefix).Build()
            .GetSection(ThumbnailOptions.SectionName).Get<ThumbnailOptions>() ?? new ThumbnailOptions();

    private static int Fail(string message, int exitCode = ExitCodes.Failure)
    {
        Console.Error.WriteLine(message);
        return exitCode;
    }
}
