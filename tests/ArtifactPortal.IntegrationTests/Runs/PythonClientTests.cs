using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ArtifactPortal.IntegrationTests.Runs;

/// <summary>
/// The Python client's own test suite (src/clients/python/tests, Python's unittest) against a real portal on a real
/// Kestrel port: unit tests, then integration tests that create runs, log metrics and move artifacts through the API.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class PythonClientTests(PortalFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task PythonClientSuite_AgainstARunningPortal_Passes()
    {
        await using var portal = await fixture.NewPortalAsync(DatabaseProvider.Sqlite);
        portal.UseKestrel(0);
        portal.StartServer();
        var address = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).First();
        var owner = await portal.CreateUserAsync("python");
        var project = await portal.CreateProjectAsync(owner);
        var token = await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write, project.Id);

        var result = await PythonClientProcess.RunAsync(
            new Uri($"http://127.0.0.1:{address.Port}/"), token.Token,
            new Dictionary<string, string> { ["ARTIFACTPORTAL_TEST_PROJECT"] = project.Slug, ["ARTIFACTPORTAL_TEST_REQUIRED"] = "1" },
            TimeSpan.FromMinutes(5),
            "-m", "unittest", "discover", "-s", "tests", "-v");
        output.WriteLine(result.Output);

        Assert.True(result.ExitCode == 0, $"python3 -m unittest exited with {result.ExitCode}:\n{result.Output}");
        // The integration half really ran (it would skip without the portal's settings).
        Assert.Contains("test_run_logs_params_metrics_inputs_and_outputs_then_finishes (test_portal_integration.RunTests", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("test_portal_integration.RunTests.test_run_logs_params_metrics_inputs_and_outputs_then_finishes) ... skipped", result.Output, StringComparison.Ordinal);
    }
}
