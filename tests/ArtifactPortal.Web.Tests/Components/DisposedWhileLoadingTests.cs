using ArtifactPortal.Web.Features.Analysis;
using ArtifactPortal.Web.Features.Artifacts;
using ArtifactPortal.Web.Features.Evaluations;
using ArtifactPortal.Web.Features.Projects;
using ArtifactPortal.Web.Features.Runs;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ArtifactPortal.Web.Tests.Components;

/// <summary>
/// The circuit disposes a page while its load waits (here: for the authentication state); when the load resumes it must
/// stop quietly instead of logging "The CancellationTokenSource has been disposed".
/// </summary>
public sealed class DisposedWhileLoadingTests : PortalComponentTestBase
{
    public static TheoryData<Type, Dictionary<string, object>> Components => new()
    {
        { typeof(StatisticsTab), new() { ["Slug"] = "vision", ["ArtifactName"] = "data", ["VersionNumber"] = 1 } },
        { typeof(EvaluationTab), new() { ["Slug"] = "vision", ["ArtifactName"] = "data", ["VersionNumber"] = 1 } },
        { typeof(ArtifactPage), new() { ["Slug"] = "vision", ["Name"] = "data" } },
        { typeof(RunPage), new() { ["Slug"] = "vision", ["Number"] = 1 } },
        { typeof(ProjectOverviewPage), new() { ["Slug"] = "vision" } },
    };

    [Theory]
    [MemberData(nameof(Components))]
    public async Task Component_DisposedWhileLoading_ResumesWithoutAnException(Type component, Dictionary<string, object> parameters)
    {
        var user = await CreateUserAsync("ada@example.com");
        SignIn(user);
        var authentication = new TaskCompletionSource<AuthenticationState>();
        Context.Render<CascadingValue<Task<AuthenticationState>>>(p => p
            .Add(c => c.Value, authentication.Task)
            .Add(c => c.ChildContent, builder =>
            {
                builder.OpenComponent(0, component);
                builder.AddMultipleAttributes(1, parameters);
                builder.CloseComponent();
            }));

        await Context.DisposeComponentsAsync();
        await Context.Renderer.Dispatcher.InvokeAsync(() => authentication.SetResult(new AuthenticationState(PrincipalOf(user))));

        var failure = await Task.WhenAny(Context.Renderer.UnhandledException, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(failure == Context.Renderer.UnhandledException, (failure as Task<Exception>)?.Result.ToString());
    }
}
