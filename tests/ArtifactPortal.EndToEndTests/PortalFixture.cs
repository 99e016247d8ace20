using System.Collections.Concurrent;
using System.Security.Claims;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.EndToEndTests.Pages;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests;

/// <summary>
/// One portal on a real Kestrel port and one Chromium for the whole test run. Hangfire keeps process-wide static state,
/// so a second host in this process would share its job storage: every test class joins <see cref="PortalSuite"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PortalFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Password = "correct horse battery staple";
    public const string ScreenshotsVariable = "ARTIFACTPORTAL_SCREENSHOTS";

    /// <summary>The portal's warnings and errors, next to the screenshots directory.</summary>
    public const string LogFileName = "end-to-end-portal.log";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly ConcurrentDictionary<string, Task<string>> _storageStates = new();
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("artifactportal-e2e-").FullName;
    private PortalApplicationFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The site's first account, so the site administrator.</summary>
    public static string AdminEmail => "admin@e2e.test";

    /// <summary>An ordinary account without the administrator role.</summary>
    public static string MemberEmail => "member@e2e.test";

    /// <summary>http://localhost:PORT/: the passkey script rejects 127.0.0.1 as a WebAuthn domain.</summary>
    public Uri BaseUrl { get; private set; } = default!;

    public string ScreenshotDirectory { get; } =
        Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The running portal's services, for arranging data faster than through the pages.</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        // Never skip: a missing browser would turn the whole suite green without testing anything.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Install Debian's package with `apt-get install -y chromium`; " +
                "the end-to-end tests never download a browser.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        Assertions.SetDefaultExpectTimeout(15_000);

        _factory = new PortalApplicationFactory(_dataDirectory, Path.Combine(Path.GetDirectoryName(ScreenshotDirectory)!, LogFileName));
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Select(a => new Uri(a)).First();
        BaseUrl = new Uri($"http://localhost:{address.Port}/");
        if (!File.Exists(Path.Combine(_dataDirectory, "portal.db")))
        {
            throw new InvalidOperationException($"The portal did not put its database in the test data directory {_dataDirectory}.");
        }

        // Seeded in this order on an empty site, so the first account becomes the administrator.
        await CreateUserAsync(AdminEmail);
        await CreateUserAsync(MemberEmail);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }

    /// <summary>Creates an account directly in the database (faster than the registration form), with <see cref="Password"/>.</summary>
    public async Task<string> CreateUserAsync(string email)
    {
        await using var scope = _factory!.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var result = await users.CreateAsync(new PortalUser { UserName = email, Email = email, EmailConfirmed = true }, Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }

        return email;
    }

    /// <summary>Creates a project owned by <paramref name="email"/> through the Core service (faster than the dialog).</summary>
    public async Task<string> CreateProjectAsync(
        string email, string name, string slug, string description = "", ProjectVisibility visibility = ProjectVisibility.Private)
    {
        var result = await Services.GetRequiredService<ProjectService>()
            .CreateAsync(await PrincipalAsync(email), new NewProject(name, slug, description, visibility));
        Assert.True(result.Succeeded, result.ErrorMessage);
        return slug;
    }

    /// <summary>The principal the portal's sign-in gives <paramref name="email"/>, for arranging data through Core services.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string email)
    {
        await using var scope = _factory!.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account {email}.");
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync(user);
    }

    /// <summary>Waits until the database holds the dark-mode choice, which the page shows before it is saved.</summary>
    public async Task WaitForSavedDarkModeAsync(string email, bool darkMode)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            await using (var scope = _factory!.Services.CreateAsyncScope())
            {
                var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
                if (user?.PrefersDarkMode == darkMode)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    /// <summary>An address nobody uses yet, e.g. dark-3f2a9c01@e2e.test.</summary>
    public static string UniqueEmail(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}@e2e.test";

    /// <summary>A fresh browser context without cookies.</summary>
    public async Task<IPage> NewAnonymousPageAsync()
    {
        var context = await Browser.NewContextAsync(ContextOptions(storageState: null));
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A fresh browser context signed in as <paramref name="email"/>. Each account signs in through the login form once;
    /// later contexts reuse its cookies (storage state).
    /// </summary>
    public async Task<IPage> NewSignedInPageAsync(string email)
    {
        var storageState = await _storageStates.GetOrAdd(email, SignInAsync);
        var context = await Browser.NewContextAsync(ContextOptions(storageState));
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page PNG as screenshots/NAME.png.</summary>
    public async Task ScreenshotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotDirectory, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });
    }

    private async Task<string> SignInAsync(string email)
    {
        var page = await NewAnonymousPageAsync();
        try
        {
            var login = await LoginPage.OpenAsync(page);
            await login.LogInAsync(email, Password);
            await new PortalLayout(page).WaitForSignedInAsync(email);
            return await page.Context.StorageStateAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private BrowserNewContextOptions ContextOptions(string? storageState) => new()
    {
        BaseURL = BaseUrl.ToString(),
        StorageState = storageState,
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        Locale = "en-US",
    };

    private sealed class PortalApplicationFactory(string dataDirectory, string logFile) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(new PortalLogFile(logFile)));
            builder.UseEnvironment("Development");
            builder.UseSetting("DataDirectory", dataDirectory);
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Jobs:WorkerCount", "1");
            builder.UseSetting("Smtp:Host", "");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalSuite : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal";
}
