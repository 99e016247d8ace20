using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>
/// Azurite's blob service from npm, in memory, on a free loopback port: one per test run (a collection fixture).
/// A missing azurite-blob fails the tests, never skips them.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>Azurite's fixed development account (public, documented by Microsoft).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Executable = "azurite-blob";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _workingDirectory;

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        var executable = FindExecutable();
        _workingDirectory = Directory.CreateTempSubdirectory("artifactportal-azurite-").FullName;
        // The free port can be taken between probing and binding; a second port almost always works.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            try
            {
                await StartAsync(executable);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Stop();
            }
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        if (_workingDirectory is not null)
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The copy that ./build.sh test installs under .ci/tools, else one on PATH.</summary>
    internal static string FindExecutable()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var local = Path.Combine(directory.FullName, ".ci", "tools", "node_modules", ".bin", Executable);
            if (File.Exists(local))
            {
                return local;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, Executable))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            $"{Executable} (npm package azurite) was not found in .ci/tools/node_modules/.bin or on PATH. The storage tests always " +
            "run against Azurite: run ./build.sh test, which installs it, or `npm ci --prefix .ci/tools --no-audit --no-fund`.");
    }

    private async Task StartAsync(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Without --skipApiVersionCheck Azurite refuses the SDK's newer API version; without --disableTelemetry it phones home.
        foreach (var argument in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        _output.Clear();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{executable} exited with {_process.ExitCode} on port {Port}: {Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"{executable} did not listen on port {Port} within {StartTimeout}: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _process = null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteServer>
{
    public const string Name = "Azurite";
}
