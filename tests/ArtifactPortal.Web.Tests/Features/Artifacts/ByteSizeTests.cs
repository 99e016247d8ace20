using ArtifactPortal.Web.Features.Artifacts;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

public class ByteSizeTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1 kB")]
    [InlineData(12_400_000, "12.4 MB")]
    [InlineData(540_000_000, "540 MB")]
    [InlineData(999_999_999, "1 GB")]
    [InlineData(2_147_483_648, "2.1 GB")]
    public void Format_Bytes_ReadsNaturally(double bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Theory]
    [InlineData(2, "a few seconds left")]
    [InlineData(19, "about 20 s left")]
    [InlineData(61, "about 2 min left")]
    [InlineData(3600, "about 1 h left")]
    [InlineData(4000, "about 1 h 7 min left")]
    public void TimeLeft_Seconds_RoundsLikeAPerson(double seconds, string expected) => Assert.Equal(expected, ByteSize.TimeLeft(seconds));
}
