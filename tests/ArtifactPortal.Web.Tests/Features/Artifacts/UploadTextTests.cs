using ArtifactPortal.Web.Features.Artifacts;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

public class UploadTextTests
{
    [Theory]
    [InlineData(54_300_000, "52 MB/s")]
    [InlineData(540_000_000, "515 MB/s")]
    [InlineData(999, "999 B/s")]
    public void Speed_BytesPerSecond_ReadsNaturally(double bytesPerSecond, string expected) =>
        Assert.Equal(expected, UploadText.Speed(bytesPerSecond));

    [Theory]
    [InlineData(2, "a few seconds left")]
    [InlineData(19, "about 20 s left")]
    [InlineData(61, "about 2 min left")]
    [InlineData(3600, "about 1 h left")]
    [InlineData(4000, "about 1 h 7 min left")]
    public void TimeLeft_Seconds_RoundsLikeAPerson(double seconds, string expected) => Assert.Equal(expected, UploadText.TimeLeft(seconds));
}
