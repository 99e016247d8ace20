using System.Security.Claims;
using ArtifactPortal.Infrastructure.Identity;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

/// <summary>An Owner with a project, and the artifact pages rendered below MainLayout's providers with route parameters.</summary>
public abstract class ArtifactPageTestBase : PortalComponentTestBase
{
    protected const string Slug = "vision";

    internal ArtifactTestData Data => new(Services);

    protected PortalUser Owner { get; private set; } = default!;

    protected ClaimsPrincipal OwnerPrincipal => PrincipalOf(Owner);

    protected async Task CreateProjectAsync()
    {
        Owner = await CreateUserAsync("owner@example.com");
        await Data.CreateProjectAsync(OwnerPrincipal, Slug);
    }

    /// <summary>A member with <paramref name="role"/>, signed in.</summary>
    protected async Task SignInMemberAsync(string userName, Core.Projects.ProjectRole role)
    {
        var member = await CreateUserAsync(userName);
        await Data.AddMemberAsync(OwnerPrincipal, Slug, userName, role);
        SignIn(member);
    }

    protected IRenderedComponent<ContainerFragment> RenderPage<TPage>(params (string Name, object? Value)[] parameters)
        where TPage : IComponent =>
        Context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(3);
            foreach (var (name, value) in parameters)
            {
                builder.AddComponentParameter(4, name, value);
            }

            builder.CloseComponent();
        });
}
