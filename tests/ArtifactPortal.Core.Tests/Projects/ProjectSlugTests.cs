using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Tests.Projects;

public class ProjectSlugTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("fraud-detection")]
    [InlineData("fraud-detection-v2")]
    [InlineData("2024")]
    [InlineData("a1-b2-c3")]
    public void IsValid_LowercaseLettersDigitsAndSingleHyphens_True(string slug) => Assert.True(ProjectSlug.IsValid(slug));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("A")]
    [InlineData("Ab")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("-ab-")]
    [InlineData("a--b")]
    [InlineData("ab_c")]
    [InlineData("ab c")]
    [InlineData("ab.c")]
    [InlineData("ab/c")]
    [InlineData("café")]
    public void IsValid_OtherCharactersOrHyphenPlacement_False(string slug) => Assert.False(ProjectSlug.IsValid(slug));

    [Theory]
    [InlineData("ab\n")]
    [InlineData("fraud-detection\n")]
    public void IsValid_TrailingNewline_False(string slug) => Assert.False(ProjectSlug.IsValid(slug));

    [Fact]
    public void IsValid_MaxLength_True() => Assert.True(ProjectSlug.IsValid(new string('a', ProjectSlug.MaxLength)));

    [Fact]
    public void IsValid_LongerThanMaxLength_False() => Assert.False(ProjectSlug.IsValid(new string('a', ProjectSlug.MaxLength + 1)));

    [Theory]
    [InlineData("Fraud Detection v2", "fraud-detection-v2")]
    [InlineData("Café Données", "cafe-donnees")]
    [InlineData("Ångström Éclair", "angstrom-eclair")]
    [InlineData("  Churn  ", "churn")]
    [InlineData("--Churn--", "churn")]
    [InlineData("Churn   model", "churn-model")]
    [InlineData("Churn -_- model", "churn-model")]
    [InlineData("fraud_detection.v2", "fraud-detection-v2")]
    [InlineData("!!Fraud!!", "fraud")]
    [InlineData("GPT-4o Eval", "gpt-4o-eval")]
    [InlineData("already-a-slug", "already-a-slug")]
    public void FromName_Name_ReadableSlug(string name, string expected) => Assert.Equal(expected, ProjectSlug.FromName(name));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("数据集")]
    public void FromName_NoLatinLettersOrDigits_Empty(string name) => Assert.Equal("", ProjectSlug.FromName(name));

    [Fact]
    public void FromName_LongName_TrimmedToMaxLength()
    {
        var slug = ProjectSlug.FromName(new string('x', 100));

        Assert.Equal(new string('x', ProjectSlug.MaxLength), slug);
        Assert.True(ProjectSlug.IsValid(slug));
    }

    [Fact]
    public void FromName_CutFallsOnSeparator_NoTrailingHyphen()
    {
        // 63 letters, then a separator at index 63: the cut at 64 would end in a hyphen.
        var name = new string('x', ProjectSlug.MaxLength - 1) + " tail";

        var slug = ProjectSlug.FromName(name);

        Assert.Equal(new string('x', ProjectSlug.MaxLength - 1), slug);
        Assert.True(ProjectSlug.IsValid(slug));
    }

    [Theory]
    [InlineData("Fraud Detection v2")]
    [InlineData("Café Données – Q3 2025 (draft)")]
    [InlineData("  Model  /  Evaluation  ")]
    public void FromName_NameWithLettersOrDigits_SuggestionIsValid(string name) => Assert.True(ProjectSlug.IsValid(ProjectSlug.FromName(name)));
}
