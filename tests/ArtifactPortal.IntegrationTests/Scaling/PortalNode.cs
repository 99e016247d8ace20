using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Scaling;

/// <summary>
/// One `ArtifactPortal serve` process on a loopback port, started from the built ArtifactPortal.dll as an operator would.
/// <see cref="Kill"/> ends it abruptly (SIGKILL), like a crashed machine; Dispose does the same if it still runs.
/// </summary>
public sealed class PortalNode : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private PortalNode(string name, Uri address, Process process)
    {
        Name = name;
        Address = address;
        _process = process;
    }

    public string Name { get; }

    public Uri Address { get; }

    public static PortalNode Start(
        string name, string role, string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var address = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var start = PortalExecutable.StartInfo(
            dataDirectory, environment, ["serve", "--role", role, "--urls", address.GetLeftPart(UriPartial.Authority), .. arguments]);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var node = new PortalNode(name, address, process);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>What the process wrote so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(100) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    /// <summary>Waits until /healthz answers 200 (database and blob store reachable); fails with the node's output if it exits.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/healthz");
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
                // Busy starting on a loaded machine.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not healthy within {StartTimeout}:\n{Output}");
    }

    /// <summary>SIGKILL: no graceful shutdown, no chance to requeue or clean up.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
