using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.IntegrationTests.Storage;

public sealed class StorageServiceCollectionExtensionsTests
{
    [Fact]
    public void AddPortalStorage_Defaults_UsesBlobsInTheDataDirectory()
    {
        var data = Directory.CreateTempSubdirectory("artifactportal-data-").FullName;
        try
        {
            using var services = Build(new() { ["DataDirectory"] = data });

            var store = Assert.IsType<FileSystemBlobStore>(services.GetRequiredService<IBlobStore>());

            Assert.Equal(Path.Combine(data, "blobs"), store.RootPath);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void AddPortalStorage_AzureBlob_UsesTheConfiguredContainer()
    {
        using var services = Build(new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Storage:AzureBlob:Container"] = "team-artifacts",
        });

        Assert.IsType<AzureBlobStore>(services.GetRequiredService<IBlobStore>());
    }

    [Theory]
    [InlineData(null, "artifacts", "ConnectionString is required")]
    [InlineData("UseDevelopmentStorage=true", "Bad_Name", "Container must be")]
    [InlineData("UseDevelopmentStorage=true", "a--b", "Container must be")]
    public void AddPortalStorage_InvalidAzureBlobOptions_FailValidation(string? connectionString, string container, string message)
    {
        using var services = Build(new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:ConnectionString"] = connectionString,
            ["Storage:AzureBlob:Container"] = container,
        });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddPortalStorage(configuration).BuildServiceProvider();
    }
}
