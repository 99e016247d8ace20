using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Infrastructure.Storage;
using ArtifactPortal.IntegrationTests.Support;
using Azure.Storage.Blobs;

namespace ArtifactPortal.IntegrationTests.Storage;

/// <summary>The blob store contract against Azurite; each test gets a container of its own.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class AzureBlobStoreTests : BlobStoreContractTests, IAsyncLifetime
{
    private readonly BlobContainerClient _container;
    private readonly AzureBlobStore _store;

    public AzureBlobStoreTests(AzuriteServer azurite)
    {
        _container = new BlobContainerClient(azurite.ConnectionString, $"test-{Guid.NewGuid():N}");
        // Small blocks, so that every put of a few MiB stages several.
        _store = new AzureBlobStore(_container, ClockAMinuteAhead, blockSize: 1024 * 1024);
    }

    protected override IBlobStore Store => _store;

    [Fact]
    public async Task PutAsync_MissingContainer_CreatesIt()
    {
        Assert.False(await _container.ExistsAsync());

        await _store.PutAsync(new MemoryStream([1]), null, null, CancellationToken.None);

        Assert.True(await _container.ExistsAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();
}
