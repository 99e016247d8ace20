using ArtifactPortal.Core.Artifacts;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the <see cref="IBlobStore"/> chosen by <c>Storage:Provider</c>.</summary>
    public static IServiceCollection AddPortalStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => o.Provider != StorageProvider.AzureBlob || !string.IsNullOrWhiteSpace(o.AzureBlob.ConnectionString),
                "Storage:AzureBlob:ConnectionString is required when Storage:Provider is AzureBlob.")
            .Validate(o => o.Provider != StorageProvider.AzureBlob || IsContainerName(o.AzureBlob.Container),
                "Storage:AzureBlob:Container must be 3-63 lowercase letters, digits and single hyphens.")
            .ValidateOnStart();
        services.AddSingleton<IBlobStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;
            return options.Provider switch
            {
                StorageProvider.AzureBlob => new AzureBlobStore(
                    new BlobContainerClient(options.AzureBlob.ConnectionString, options.AzureBlob.Container), time),
                _ => new FileSystemBlobStore(
                    options.RootPath ?? Path.Combine(PortalDataDirectory.Resolve(configuration), "blobs"), time),
            };
        });
        services.AddSingleton<IUploadStaging>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new FileSystemUploadStaging(options.StagingPath ?? Path.Combine(PortalDataDirectory.Resolve(configuration), "uploads"));
        });
        services.AddOptions<ArtifactOptions>().Bind(configuration.GetSection(ArtifactOptions.SectionName))
            .Validate(o => o.MaxFileSizeBytes > 0 && o.MaxFilesPerVersion > 0, "Artifacts:MaxFileSizeBytes and MaxFilesPerVersion must be positive.")
            .ValidateOnStart();
        return services;
    }

    private static bool IsContainerName(string? name) =>
        name is { Length: >= 3 and <= 63 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
}
