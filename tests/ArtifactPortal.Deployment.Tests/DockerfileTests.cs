namespace ArtifactPortal.Deployment.Tests;

/// <summary>What can be checked of infra/Dockerfile without a Docker engine: the runtime stage's user, volumes and inputs.</summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = RepositoryFiles.Read("infra", "Dockerfile").Split('\n').Select(l => l.Trim()).ToArray();

    [Fact]
    public void RuntimeStage_RunsAsNonRootWithDataAndTempVolumes()
    {
        var runtime = Lines.SkipWhile(l => !(l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal))).ToList();

        Assert.NotEmpty(runtime);
        Assert.Contains("USER $APP_UID", runtime);
        Assert.DoesNotContain(runtime, l => l is "USER root" or "USER 0");
        Assert.Contains("VOLUME [\"/data\", \"/tmp\"]", runtime);
        Assert.Contains(runtime, l => l.Contains("ARTIFACTPORTAL_DATA=/data", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"ArtifactPortal.dll\"]", runtime);
        Assert.True(runtime.IndexOf("USER $APP_UID") < runtime.FindIndex(l => l.StartsWith("VOLUME", StringComparison.Ordinal)));
    }

    [Fact]
    public void Copies_NameFilesThatExistAndAreNotIgnored()
    {
        var ignored = RepositoryFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim().TrimEnd('/'))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.Contains('*', StringComparison.Ordinal)).ToList();
        var sources = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = RepositoryFiles.PathOf(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
            Assert.DoesNotContain(ignored, i => source.TrimEnd('/') == i || source.StartsWith(i + "/", StringComparison.Ordinal));
        }
    }
}
