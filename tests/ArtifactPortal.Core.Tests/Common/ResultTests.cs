using ArtifactPortal.Core.Common;

namespace ArtifactPortal.Core.Tests.Common;

public class ResultTests
{
    [Fact]
    public void Success_Value_SucceededWithValueAndNoErrors()
    {
        var result = Result.Success(42);

        Assert.True(result.Succeeded);
        Assert.Equal(42, result.Value);
        Assert.Empty(result.Errors);
        Assert.Equal("", result.ErrorMessage);
    }

    [Fact]
    public void Invalid_FieldAndMessage_FailedWithThatError()
    {
        var result = Result.Invalid<string>("Name", "Give the project a name.");

        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(new KeyValuePair<string, string>("Name", "Give the project a name."), error);
        Assert.Equal("Give the project a name.", result.ErrorMessage);
    }

    [Fact]
    public void Invalid_ValueType_ValueIsDefault()
    {
        var result = Result.Invalid<int>("Count", "Too many.");

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.Value);
    }

    [Fact]
    public void Invalid_SeveralErrors_ErrorMessageJoinsThemInOrder()
    {
        var result = Result.Invalid<string>(new Dictionary<string, string>
        {
            ["Name"] = "Give the project a name.",
            ["Slug"] = "The URL name is taken.",
        });

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal("Give the project a name. The URL name is taken.", result.ErrorMessage);
    }

    [Fact]
    public void Invalid_NoErrors_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Result.Invalid<string>(new Dictionary<string, string>()));

        Assert.Equal("errors", error.ParamName);
    }
}
