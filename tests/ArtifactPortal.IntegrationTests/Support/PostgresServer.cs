using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster from the Debian binaries: trust auth, loopback only, fsync off.
/// One per test run; each portal host gets a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binDirectory;
    private readonly string _root;
    private readonly bool _runAsPostgres;

    private PostgresServer(string binDirectory, string root, bool runAsPostgres, int port)
    {
        _binDirectory = binDirectory;
        _root = root;
        _runAsPostgres = runAsPostgres;
        Port = port;
    }

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    private string AdminConnectionString => ConnectionString("postgres", pooling: false);

    public static async Task<PostgresServer> StartAsync()
    {
        var binDirectory = FindBinDirectory();
        // initdb refuses to run as root: as root, the cluster belongs to the postgres user.
        var runAsPostgres = Environment.UserName == "root";
        var root = Directory.CreateTempSubdirectory("artifactportal-pg-").FullName;
        var server = new PostgresServer(binDirectory, root, runAsPostgres, port: 0);
        try
        {
            if (runAsPostgres)
            {
                await RunAsync("chown", [$"{SuperUser}:", root]);
            }

            await server.RunPostgresToolAsync("initdb",
                ["-D", server.DataDirectory, "--auth=trust", $"--username={SuperUser}", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"]);

            // The free port can be taken between probing and binding; a second port almost always works.
            for (var attempt = 1; ; attempt++)
            {
                server.Port = FreeLoopbackPort();
                try
                {
                    await server.RunPostgresToolAsync("pg_ctl",
                    [
                        "start", "-D", server.DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "30",
                        "-o", $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                              "-c full_page_writes=off -c max_connections=300",
                    ]);
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                }
            }

            return server;
        }
        catch (Exception e)
        {
            var log = Path.Combine(root, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            await server.DisposeAsync();
            throw new InvalidOperationException($"PostgreSQL did not start: {e.Message}\n{serverLog}", e);
        }
    }

    public string ConnectionString(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Pooling = pooling,
    }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    /// <summary>
    /// CPU time of the server and its live backends (Linux). A backend's time leaves the sum when it exits, so measure
    /// between two reads while a pool keeps its connections open.
    /// </summary>
    public TimeSpan CpuTime()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        return LinuxProcesses.CpuTime(p => p.Id == postmaster || p.ParentId == postmaster);
    }

    /// <summary>Drops a database even while the portal still holds connections to it.</summary>
    public Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunPostgresToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"]);
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder goes away below either way.
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binDirectory, tool);
        return _runAsPostgres ? RunAsync("runuser", ["-u", SuperUser, "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static string FindBinDirectory()
    {
        static bool HasTools(string directory) =>
            File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

        // Debian keeps the server binaries off PATH, one folder per major version; take the newest.
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(HasTools)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasTools);
        return debian ?? onPath ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin. " +
            "The integration tests always run against PostgreSQL: install postgresql (apt-get install -y postgresql) " +
            "or run ./build.sh test, which installs it.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} did not finish within {CommandTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
