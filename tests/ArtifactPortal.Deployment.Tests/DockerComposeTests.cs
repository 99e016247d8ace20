using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ArtifactPortal.Deployment.Tests;

/// <summary>
/// infra/docker-compose.yml through `docker-compose config` (Debian's docker-compose; it needs no Docker engine to
/// resolve and validate a file), then checked for the topology the scale-out needs.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly Lazy<Task<YamlMappingNode>> Resolved = new(ConfigAsync);

    [Fact]
    public async Task Config_TwoWebNodesBehindStickyProxy_OneWorker_SqlServerAndAzurite()
    {
        var services = (YamlMappingNode)(await Resolved.Value)["services"];

        var webNodes = services.Where(s => Command(s.Value).SequenceEqual(["serve", "--role", "web"])).Select(s => Scalar(s.Key)).ToList();
        Assert.Equal(["web1", "web2"], webNodes.Order());
        var worker = Assert.Single(services, s => Command(s.Value).Take(3).SequenceEqual(["serve", "--role", "worker"]));
        Assert.Equal(["migrate"], Command(services["migrate"]));
        Assert.StartsWith("mcr.microsoft.com/mssql/server:", Scalar(((YamlMappingNode)services["sqlserver"])["image"]));
        Assert.StartsWith("mcr.microsoft.com/azure-storage/azurite", Scalar(((YamlMappingNode)services["azurite"])["image"]));

        foreach (var name in webNodes.Append(Scalar(worker.Key)))
        {
            var node = (YamlMappingNode)services[name];
            Assert.Equal("true", Scalar(node["read_only"]));
            var environment = (YamlMappingNode)node["environment"];
            Assert.Equal("SqlServer", Scalar(environment["ARTIFACTPORTAL_Database__Provider"]));
            Assert.Equal("AzureBlob", Scalar(environment["ARTIFACTPORTAL_Storage__Provider"]));
            Assert.Contains("Server=sqlserver", Scalar(environment["ARTIFACTPORTAL_ConnectionStrings__Default"]), StringComparison.Ordinal);
            Assert.Contains("BlobEndpoint=http://azurite:10000/", Scalar(environment["ARTIFACTPORTAL_Storage__AzureBlob__ConnectionString"]), StringComparison.Ordinal);
            Assert.Equal("service_completed_successfully", Scalar(((YamlMappingNode)((YamlMappingNode)node["depends_on"])["migrate"])["condition"]));
        }
    }

    [Fact]
    public async Task Proxy_RoutesToEveryWebNode_WithAStickyCookieAndReadinessChecks()
    {
        var services = (YamlMappingNode)(await Resolved.Value)["services"];
        Assert.StartsWith("traefik:", Scalar(((YamlMappingNode)services["proxy"])["image"]));
        var dynamic = new YamlStream();
        dynamic.Load(new StringReader(RepositoryFiles.Read("infra", "traefik", "dynamic.yml")));
        var loadBalancer = (YamlMappingNode)Path((YamlMappingNode)dynamic.Documents[0].RootNode, "http", "services", "portal", "loadBalancer");

        var servers = ((YamlSequenceNode)loadBalancer["servers"]).Select(s => Scalar(((YamlMappingNode)s)["url"])).ToList();
        var webNodes = services.Where(s => Command(s.Value).SequenceEqual(["serve", "--role", "web"])).Select(s => $"http://{Scalar(s.Key)}:8080");
        Assert.Equal(webNodes.Order(), servers.Order());
        Assert.Equal("artifactportal_node", Scalar(Path(loadBalancer, "sticky", "cookie", "name")));
        Assert.Equal("/healthz/ready", Scalar(Path(loadBalancer, "healthCheck", "path")));
    }

    private static YamlNode Path(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate((YamlNode)node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static IEnumerable<string> Command(YamlNode service) =>
        ((YamlMappingNode)service).Children.TryGetValue("command", out var command) && command is YamlSequenceNode sequence
            ? sequence.Select(Scalar)
            : [];

    private static async Task<YamlMappingNode> ConfigAsync()
    {
        var start = new ProcessStartInfo("docker-compose", ["-f", RepositoryFiles.PathOf("infra", "docker-compose.yml"), "config"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.PathOf("infra"),
        };
        start.Environment["MSSQL_SA_PASSWORD"] = "Compose-check-0";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("docker-compose is missing: `apt-get install docker-compose` (./build.sh test installs it).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"docker-compose config failed ({process.ExitCode}): {await error}");
            var yaml = new YamlStream();
            yaml.Load(new StringReader(await output));
            return (YamlMappingNode)yaml.Documents[0].RootNode;
        }
    }
}
