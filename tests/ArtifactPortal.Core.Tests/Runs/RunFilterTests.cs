using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Runs;

namespace ArtifactPortal.Core.Tests.Runs;

public class RunFilterTests
{
    [Fact]
    public void Parse_ConditionsJoinedByAnd_ReadsEveryFieldOperatorAndValue()
    {
        var filter = RunFilter.Parse("params.lr > 0.01 and metrics.val_acc>=0.9 AND tags = baseline and status != failed and name == 'run 7' and params.arch <= \"res net\"");

        Assert.Equal(
            [
                new RunFilterCondition(RunFilterField.Param, "lr", RunFilterOperator.Greater, "0.01", 0.01),
                new RunFilterCondition(RunFilterField.Metric, "val_acc", RunFilterOperator.GreaterOrEqual, "0.9", 0.9),
                new RunFilterCondition(RunFilterField.Tag, null, RunFilterOperator.Equal, "baseline", null),
                new RunFilterCondition(RunFilterField.Status, null, RunFilterOperator.NotEqual, "failed", null),
                new RunFilterCondition(RunFilterField.Name, null, RunFilterOperator.Equal, "run 7", null),
                new RunFilterCondition(RunFilterField.Param, "arch", RunFilterOperator.LessOrEqual, "res net", null),
            ],
            filter.Conditions);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Nothing_IsTheEmptyFilter(string? text) => Assert.Empty(RunFilter.Parse(text).Conditions);

    [Theory]
    [InlineData("params.lr >> 1", 12, "expected a value")]
    [InlineData("params.lr 1", 11, "expected a comparison")]
    [InlineData("lr > 1", 1, "'lr' is not a field")]
    [InlineData("params. > 1", 1, "needs a key")]
    [InlineData("metrics.acc > high", 15, "compared with a number")]
    [InlineData("status > running", 8, "only be compared with = or !=")]
    [InlineData("status = paused", 10, "status is one of")]
    [InlineData("params.lr > 1 or tags = a", 15, "expected 'and'")]
    [InlineData("params.lr > 1 and", 18, "at the end")]
    [InlineData("name = 'unclosed", 8, "never closed")]
    [InlineData("params.lr >", 12, "expected a value")]
    public void Parse_Malformed_SaysWhereAndWhat(string text, int position, string message)
    {
        var error = Assert.Throws<RunFilterException>(() => RunFilter.Parse(text));

        Assert.Equal(position, error.Position);
        Assert.Contains($"position {position}", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("params.lr > 0.005", "0.01", true)]
    [InlineData("params.lr > 0.005", "1e-3", false)]
    [InlineData("params.lr = 0.01", "1e-2", true)]
    [InlineData("params.lr != 0.01", "0.01", false)]
    [InlineData("params.arch = resnet", "ResNet", true)]
    [InlineData("params.arch < vit", "resnet", true)]
    [InlineData("params.arch = 3", "three", false)]
    [InlineData("params.batch >= 64", "64", true)]
    public void Matches_ParamValue_ComparesNumbersAsNumbersAndTextIgnoringCase(string filter, string value, bool expected) =>
        Assert.Equal(expected, RunFilter.Matches(RunFilter.Parse(filter).Conditions[0], value));

    [Fact]
    public void Matches_RunWithoutTheParam_NeverMatches() =>
        Assert.False(RunFilter.Matches(RunFilter.Parse("params.lr != 1").Conditions[0], null));

    [Fact]
    public void CompareParamValues_MixedValues_NumbersByValueBeforeText()
    {
        List<string> values = ["vit", "0.1", "1e-3", "Adam", "0.05"];

        values.Sort(RunFilter.CompareParamValues);

        Assert.Equal(["1e-3", "0.05", "0.1", "Adam", "vit"], values);
    }

    [Theory]
    [InlineData(null, "-started")]
    [InlineData("started", "started")]
    [InlineData("-name", "-name")]
    [InlineData("-metrics.val_acc", "-metrics.val_acc")]
    [InlineData("params.lr", "params.lr")]
    public void RunSortParse_Known_RoundTrips(string? text, string expected) => Assert.Equal(expected, RunSort.Parse(text).ToString());

    [Theory]
    [InlineData("size")]
    [InlineData("metrics.")]
    [InlineData("-")]
    public void RunSortParse_Unknown_ThrowsNamingIt(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<PortalRequestException>(() => RunSort.Parse(text)).Message, StringComparison.Ordinal);
}
