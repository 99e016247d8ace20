using System.Security.Claims;
using ArtifactPortal.Core;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Evaluations;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.Infrastructure.Previews;
using ArtifactPortal.Infrastructure.Statistics;
using ArtifactPortal.Infrastructure.Storage;
using ArtifactPortal.Infrastructure.Thumbnails;
using ArtifactPortal.Web.Components.Shared;
using Bunit;
using Bunit.Rendering;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ArtifactPortal.Web.Tests;

/// <summary>
/// One bunit context per test with MudBlazor, loose JS interop, bunit's authentication state, the portal's real
/// authorization policies, and the real Core and Identity services on a migrated SQLite file of its own.
/// </summary>
/// <remarks>
/// Wraps <see cref="BunitContext"/> instead of inheriting it: xunit 2 would call its synchronous Dispose, which fails
/// on MudBlazor's async-only services.
/// </remarks>
public abstract class PortalComponentTestBase : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "artifactportal-bunit-" + Guid.NewGuid().ToString("N"));

    // Waits end as soon as the markup is right; the long ceiling only matters on a loaded two-core CI machine.
    static PortalComponentTestBase() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);

    protected PortalComponentTestBase()
    {
        Context = new BunitContext();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = Context.AddAuthorization();

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DataDirectory"] = _dataDirectory,
                ["Database:Provider"] = nameof(DatabaseProvider.Sqlite),
            })
            .Build();

        var services = Context.Services;
        services.AddMudServices();
        services.AddSingleton<RenderedMarkupCache>();
        // Options bound with BindConfiguration (e.g. MetricOptions) read the configuration from the container.
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPortalCore();
        services.AddPortalAuthorization();
        services.AddPortalDatabase(configuration);
        services.AddSingleton<DatabaseMigrator>();
        services.AddPortalIdentity(configuration);
        services.AddPortalStorage(configuration);
        services.AddPortalPreviews();
        services.AddPortalStatistics();
        services.AddPortalEvaluations();
        services.AddPortalThumbnails(configuration);
        // The real analysis jobs, run when a test says so instead of by a Hangfire server.
        services.AddSingleton<AnalysisJobRunner>();
        services.AddTransient<ComputeStatisticsJob>();
        services.AddTransient<CreateThumbnailsJob>();
        services.AddSingleton<QueuedAnalysisJobs>();
        services.AddSingleton<IAnalysisJobScheduler>(provider => provider.GetRequiredService<QueuedAnalysisJobs>());

        // bunit's AddAuthorization answers policies from SetPolicies(); evaluate the portal's real policies instead.
        services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();

        // The real provider reads the token from the HTTP request of a static render, which a component test has not.
        services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgeryStateProvider>();
    }

    protected BunitContext Context { get; }

    /// <summary>Who the components see as signed in; anonymous until <see cref="SignIn"/>.</summary>
    protected BunitAuthorizationContext Auth { get; }

    protected IServiceProvider Services => Context.Services;

    public async Task InitializeAsync()
    {
        await Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        // The portal runs Interactive Server; components read RendererInfo to know they are live.
        Context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        // Pooled connections keep the file open; release them so the directory can go.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file handle released late (Windows) blocks the delete; a leftover temp folder is not worth a failed test.
        }
    }

    /// <summary>Creates an account through the real user manager; the first account on the site becomes administrator.</summary>
    protected async Task<PortalUser> CreateUserAsync(string userName, string? email = null)
    {
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = userName, Email = email ?? userName };
        var result = await users.CreateAsync(user);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>The principal the portal's cookie gives this user, for calling Core services as them.</summary>
    protected static ClaimsPrincipal PrincipalOf(PortalUser user, params string[] roles) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id),
                new Claim(ClaimTypes.Name, user.UserName!),
                .. roles.Select(r => new Claim(ClaimTypes.Role, r)),
            ],
            "Test"));

    /// <summary>Signs the user in the way the portal's cookie does: name, id and site roles as claims.</summary>
    protected void SignIn(PortalUser user, params string[] roles)
    {
        // Order matters: bunit's SetRoles rebuilds the principal without the extra claims.
        Auth.SetAuthorized(user.UserName!);
        Auth.SetRoles(roles);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
    }

    /// <summary>Renders a page below the popover, dialog and snackbar providers that MainLayout supplies in the app.</summary>
    protected IRenderedComponent<ContainerFragment> RenderWithProviders<TComponent>()
        where TComponent : IComponent =>
        Context.Render(builder =>
        {
            AddProviders(builder);
            builder.OpenComponent<TComponent>(3);
            builder.CloseComponent();
        });

    /// <summary>Only the providers, for a test that opens a dialog through <see cref="IDialogService"/> itself.</summary>
    protected IRenderedComponent<ContainerFragment> RenderProviders() => Context.Render(AddProviders);

    private static void AddProviders(RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    }

    private sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-antiforgery-token", "__RequestVerificationToken");
    }
}
