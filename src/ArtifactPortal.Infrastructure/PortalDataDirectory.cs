using Microsoft.Extensions.Configuration;

namespace ArtifactPortal.Infrastructure;

/// <summary>Where the embedded default keeps its SQLite files and blobs.</summary>
public static class PortalDataDirectory
{
    public const string ConfigurationKey = "DataDirectory";
    public const string EnvironmentVariable = "ARTIFACTPORTAL_DATA";

    public static string Resolve(IConfiguration configuration)
    {
        var path = configuration[ConfigurationKey]
            ?? Environment.GetEnvironmentVariable(EnvironmentVariable)
            ?? ".data";
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(full);
        return full;
    }
}
