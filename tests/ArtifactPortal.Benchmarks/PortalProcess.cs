using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using ArtifactPortal.Infrastructure.Data;

namespace ArtifactPortal.Benchmarks;

/// <summary>
/// The real portal as its own process (the Release build of ArtifactPortal.Web, SQLite and FileSystem storage in a fresh data
/// folder), with an administrator, a read/write token made by the `admin` commands and an HttpClient that sends the token.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    public const string Email = "bench@example.com";

    private readonly Process _process;
    private readonly Dictionary<string, string> _environment;
    private readonly string _portalDll;
    private readonly string? _postgres;

    private PortalProcess(
        Process process, string portalDll, string dataDirectory, Dictionary<string, string> environment, Uri baseAddress, string? postgres)
    {
        _postgres = postgres;
        _process = process;
        _portalDll = portalDll;
        DataDirectory = dataDirectory;
        _environment = environment;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public string Token { get; private set; } = "";

    public int ProcessId => _process.Id;

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    /// <summary>The portal's build output: ArtifactPortal.dll, built by .ci/bench.sh before the benchmarks run.</summary>
    public static string DefaultDll() =>
        Path.Combine(BenchSupport.RepositoryRoot(), "src", "ArtifactPortal.Web", "bin", "Release", "net10.0", "ArtifactPortal.dll");

    /// <summary>The ReadyToRun publish made by .ci/bench.sh for the one-shot commands (start-up is part of their time).</summary>
    public static string PublishedDll() =>
        Path.Combine(BenchSupport.RepositoryRoot(), "artifacts", "bench-portal", "ArtifactPortal.dll");

    /// <param name="postgres">A PostgreSQL connection string: the portal's database instead of SQLite.</param>
    public static async Task<PortalProcess> StartAsync(string portalDll, string dataDirectory, string? postgres = null)
    {
        if (!File.Exists(portalDll))
        {
            throw new FileNotFoundException($"Build the portal first (dotnet build src/ArtifactPortal.Web -c Release): {portalDll} is missing.");
        }

        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ARTIFACTPORTAL_DataDirectory"] = dataDirectory,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ARTIFACTPORTAL_Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (postgres is not null)
        {
            environment["ARTIFACTPORTAL_Database__Provider"] = nameof(DatabaseProvider.Postgres);
            environment["ARTIFACTPORTAL_ConnectionStrings__Default"] = postgres;
        }

        var start = BenchSupport.StartInfo("dotnet", [portalDll, "serve", "--urls", $"http://127.0.0.1:{port}"], Path.GetDirectoryName(portalDll)!,
            environment);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the portal.");
        // Drain its output so that a chatty log never blocks the server on a full pipe; show only what went wrong.
        var failing = false;
        process.OutputDataReceived += (_, e) =>
        {
            failing = e.Data is not null && (e.Data.Contains(" fail: ", StringComparison.Ordinal) || e.Data.Contains(" crit: ", StringComparison.Ordinal)
                || (failing && e.Data.StartsWith(' ')));
            if (failing)
            {
                Console.Error.WriteLine($"  portal: {e.Data}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                Console.Error.WriteLine($"  portal: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PortalProcess(process, portalDll, dataDirectory, environment, new Uri($"http://127.0.0.1:{port}/"), postgres);
        await portal.WaitUntilHealthyAsync();
        return portal;
    }

    /// <summary>An administrator and a read/write token, both through the portal's own `admin` commands.</summary>
    public async Task CreateUserAndTokenAsync()
    {
        var work = Path.GetDirectoryName(_portalDll)!;
        await BenchSupport.RunProcessAsync("dotnet", [_portalDll, "admin", "create-user", "--email", Email, "--password", "Bench-password-1", "--admin"], work,
            _environment);
        var output = await BenchSupport.RunProcessAsync(
            "dotnet", [_portalDll, "admin", "create-token", "--email", Email, "--name", "bench", "--scopes", "read,write"], work, _environment);
        Token = output.Trim().Split('\n')[^1].Trim();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>A private project owned by the benchmark user, through the portal's own `admin create-project` command.</summary>
    public async Task CreateProjectAsync(string slug) =>
        await BenchSupport.RunProcessAsync("dotnet", [_portalDll, "admin", "create-project", "--owner", Email, "--name", slug, "--slug", slug],
            Path.GetDirectoryName(_portalDll)!, _environment);

    public PortalDbContext OpenDatabase() => new(_postgres is null
        ? DatabaseServiceCollectionExtensions.DesignTimeOptions(DatabaseProvider.Sqlite, $"Data Source={DatabasePath}")
        : DatabaseServiceCollectionExtensions.DesignTimeOptions(DatabaseProvider.Postgres, _postgres));

    /// <summary>Peak resident memory since the last <see cref="ResetPeakMemory"/> (VmHWM), and the current (VmRSS), in bytes.</summary>
    public (long Peak, long Current) Memory()
    {
        var lines = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Read(string key) => long.Parse(
            lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return (Read("VmHWM:"), Read("VmRSS:"));
    }

    /// <summary>CPU time (user + system) the portal process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The kernel's part of <see cref="CpuTime"/> (system calls, page cache, network stack).</summary>
    public TimeSpan SystemCpuTime()
    {
        _process.Refresh();
        return _process.PrivilegedProcessorTime;
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+), so each upload's peak is its own.</summary>

    public void ResetPeakMemory() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with {_process.ExitCode} while starting.");
            }

            try
            {
                using var response = await probe.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The portal did not become healthy within 120 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
