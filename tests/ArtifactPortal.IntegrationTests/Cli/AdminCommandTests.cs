using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Cli;

[Collection(PortalCollectionDefinition.Name)]
public sealed class AdminCommandTests
{
    [Fact]
    public async Task CreateUser_WithAdminFlag_CreatesAdministratorWhoCanLogIn()
    {
        // The factory owns the data directory; the portal starts only when the test first talks to it.
        await using var portal = PortalWebApplicationFactory.ForSqlite();
        var email = PortalBrowser.NewEmail("operator");

        var result = await PortalExecutable.RunAsync(portal.DataDirectory,
            "admin", "create-user", "--email", email, "--password", PortalBrowser.TestPassword, "--admin");

        Assert.True(result.ExitCode == 0, $"Exit code {result.ExitCode}: {result.StandardError}");
        // The operator reads the command's answer, not framework logs.
        Assert.Equal($"Created user {email} (site administrator).", result.StandardOutput.Trim());

        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(email);
        var home = await browser.OpenAsync("/");
        Assert.Contains("Your projects", home.Text, StringComparison.Ordinal);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        Assert.True(user.EmailConfirmed);
        Assert.True(await users.IsInRoleAsync(user, PortalRoles.Administrator));
    }

    [Theory]
    [InlineData("--password", "admin", "create-user", "--email", "x@example.com")]
    [InlineData("frobnicate", "admin", "frobnicate")]
    [InlineData("--admn", "admin", "create-user", "--email", "x@example.com", "--password", PortalBrowser.TestPassword, "--admn")]
    [InlineData("--name", "admin", "create-token", "--email", "x@example.com", "--scopes", "read")]
    [InlineData("--scopes", "admin", "create-token", "--email", "x@example.com", "--name", "ci", "--scopes", "admin")]
    [InlineData("--expires-days", "admin", "create-token", "--email", "x@example.com", "--name", "ci", "--scopes", "read", "--expires-days", "0")]
    public async Task Run_WithBadArguments_FailsAndNamesTheProblemOnStandardError(string named, params string[] arguments)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("artifactportal-cli-").FullName;
        try
        {
            var result = await PortalExecutable.RunAsync(dataDirectory, arguments);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Created user", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
