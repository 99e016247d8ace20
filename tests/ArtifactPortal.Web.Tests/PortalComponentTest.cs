using Bunit;
using Bunit.TestDoubles;
using MudBlazor.Services;

namespace ArtifactPortal.Web.Tests;

/// <summary>
/// Base of the bunit tests: MudBlazor's services, loose JS interop and a signed-in test user. The context is disposed
/// asynchronously (MudBlazor's services are async-disposable; a synchronous teardown fails under xunit 2).
/// </summary>
public abstract class PortalComponentTest : IAsyncLifetime
{
    protected PortalComponentTest()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Authorization = Context.AddAuthorization();
        Authorization.SetAuthorized("person@example.com");
    }

    protected BunitContext Context { get; } = new();

    protected BunitAuthorizationContext Authorization { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
