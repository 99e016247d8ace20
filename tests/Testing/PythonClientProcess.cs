using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ArtifactPortal.Testing;

public sealed record PythonResult(int ExitCode, string Output);

/// <summary>
/// Runs Debian's python3 in the Python client's folder (src/clients/python) with the portal's URL and an access token in
/// the environment, as a training script would. Linked into the integration and end-to-end test projects.
/// </summary>
public static class PythonClientProcess
{
    /// <summary>Overrides the interpreter, e.g. /usr/bin/python3.9 to try the oldest supported Python.</summary>
    public const string InterpreterVariable = "ARTIFACTPORTAL_PYTHON";

    public static string ClientFolder { get; } = FindClientFolder();

    public static async Task<PythonResult> RunAsync(
        Uri portal, string token, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var interpreter = Environment.GetEnvironmentVariable(InterpreterVariable) is { Length: > 0 } configured ? configured : "python3";
        var start = new ProcessStartInfo(interpreter)
        {
            WorkingDirectory = ClientFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ARTIFACTPORTAL_URL"] = portal.ToString().TrimEnd('/');
        start.Environment["ARTIFACTPORTAL_TOKEN"] = token;
        // Keeps __pycache__ folders out of the source tree.
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        start.Environment["PYTHONPATH"] = ClientFolder;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {interpreter}.");
        }
        catch (Win32Exception e)
        {
            // Never skip: CI installs python3 (.ci/test.sh); a missing interpreter must fail the run, not hide the tests.
            throw new InvalidOperationException(
                $"'{interpreter}' could not be started ({e.Message}). Install Debian's python3 (`apt-get install -y python3`) " +
                $"or point {InterpreterVariable} at an interpreter; the Python client tests never skip.", e);
        }

        using (process)
        {
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"python3 {string.Join(' ', arguments)} did not finish within {timeout}:\n{Read(output)}");
            }

            // The parameterless wait drains the redirected streams.
            await process.WaitForExitAsync(CancellationToken.None);
            return new PythonResult(process.ExitCode, Read(output));
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string FindClientFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "clients", "python");
            if (File.Exists(Path.Combine(candidate, "pyproject.toml")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"src/clients/python was not found above {AppContext.BaseDirectory}.");
    }
}
