using System.Diagnostics;
using ArtifactPortal.Infrastructure;
using ArtifactPortal.Web.Hosting;

namespace ArtifactPortal.IntegrationTests.Support;

public sealed record ExecutableResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs the built ArtifactPortal.dll as an operator would, in a child process.</summary>
public static class PortalExecutable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<ExecutableResult> RunAsync(string dataDirectory, params string[] arguments) =>
        RunAsync(dataDirectory, new Dictionary<string, string>(), arguments);

    /// <param name="environment">Extra variables, such as ARTIFACTPORTAL_Database__Provider.</param>
    public static async Task<ExecutableResult> RunAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo(dataDirectory, environment, arguments);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ArtifactPortal {string.Join(' ', arguments)} did not exit within {Timeout}: {await error}");
        }

        return new ExecutableResult(process.ExitCode, await output, await error);
    }

    /// <summary>`dotnet ArtifactPortal.dll arguments…` with only the given ARTIFACTPORTAL_ variables and the data directory.</summary>
    public static ProcessStartInfo StartInfo(string dataDirectory, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        // The web project's output (with its deps.json and runtimeconfig.json) is copied beside the tests.
        var assembly = Path.Combine(AppContext.BaseDirectory, "ArtifactPortal.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith(PortalHostingExtensions.EnvironmentPrefix, StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment[PortalDataDirectory.EnvironmentVariable] = dataDirectory;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
