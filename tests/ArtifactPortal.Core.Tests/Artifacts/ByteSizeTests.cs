using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Core.Tests.Artifacts;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(5 * 1024 * 1024, "5.0 MB")]
    [InlineData(123L * 1024 * 1024 * 1024, "123 GB")]
    public void Format_Bytes_ReadsLikeAFileManager(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));
}
