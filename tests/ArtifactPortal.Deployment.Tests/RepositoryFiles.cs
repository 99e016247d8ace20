namespace ArtifactPortal.Deployment.Tests;

/// <summary>Files of the repository the tests run from (found by walking up to ArtifactPortal.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ArtifactPortal.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"ArtifactPortal.sln not found above {AppContext.BaseDirectory}.");
    }
}
