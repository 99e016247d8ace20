using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Projects;

/// <summary>
/// Every routable page and endpoint, asked by every kind of caller, against the rule written down here. A new endpoint
/// without a rule fails <see cref="Endpoints_EveryRoute_HasARule"/>; a rule the app does not keep fails the matrix test.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class PermissionMatrixTests(PortalFixture fixture)
{
    private enum Actor
    {
        Anonymous,
        Outsider,
        Viewer,
        Editor,
        Maintainer,
        Owner,
        Administrator,

        /// <summary>No cookie; the administrator's read-write personal access token as a bearer header.</summary>
        AdministratorToken,
    }

    private enum Outcome
    {
        Ok,
        LoginRedirect,
        NotFound,
        Forbidden,
        NotAllowedInPage,
        Answered,

        /// <summary>401 without a redirect: the API's answer to a caller without valid credentials.</summary>
        Unauthorized,
    }

    /// <summary>What a route needs. Project rules come from ProjectPermissions, the one matrix the app uses.</summary>
    private abstract record Rule;

    private sealed record Public : Rule;

    /// <summary>Anonymous may open it; the outcome depends on parameters (confirmation links and the like).</summary>
    private sealed record PublicFlow : Rule;

    private sealed record SignedIn : Rule;

    /// <summary>Signed-in only; a page that redirects elsewhere without its parameters.</summary>
    private sealed record SignedInFlow : Rule;

    /// <param name="RefusesTokens">Reads bearer tokens only to answer 403, where a token would otherwise be redirected to sign in.</param>
    private sealed record SiteAdministrator(bool RefusesTokens = false) : Rule;

    /// <summary>/api: bearer tokens count as their owner, anonymous callers get 401; otherwise as <paramref name="Inner"/>.</summary>
    private sealed record Api(Rule Inner) : Rule;

    private sealed record Project(ProjectOperation Operation, bool IsPage = true) : Rule;

    /// <summary>Not a GET page (form posts, the Blazor hub): exercised by the tests of the feature that owns it.</summary>
    private sealed record NotProbed(string Reason) : Rule;


    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.Ordinal)
    {
        ["GET /"] = new SignedIn(),
        ["GET /projects"] = new SignedIn(),
        ["GET /help"] = new SignedIn(),
        ["GET /not-found"] = new SignedIn(),
        ["GET /Error"] = new Public(),
        ["* /healthz"] = new Public(),
        ["* /healthz/live"] = new Public(),
        ["* /healthz/ready"] = new Public(),
        ["GET /openapi/{documentName}.json"] = new Public(),
        ["GET /api/reference/{documentName?}"] = new Public(),
        ["GET /api/reference/scalar.js"] = new Public(),
        ["GET /api/reference/scalar.aspnetcore.js"] = new Public(),
        ["GET /api/reference/favicon.svg"] = new Public(),
        ["GET /invite/{Token}"] = new Public(),
        ["GET /s/{Secret}"] = new Public(),
        // An unknown link answers 404 to everyone; ShareLinkTests covers valid ones.
        ["GET /s/{secret}/files/{**path}"] = new PublicFlow(),
        ["GET /s/{secret}/view/{**path}"] = new PublicFlow(),
        ["GET /s/{secret}/zip"] = new PublicFlow(),
        ["GET /admin/users"] = new SiteAdministrator(),
        ["GET /admin/teams"] = new SiteAdministrator(),
        ["GET /admin/audit"] = new SiteAdministrator(),
        ["GET /admin/audit.csv"] = new SiteAdministrator(),
        ["GET /admin/projects/deleted"] = new SiteAdministrator(),
        ["* /admin/jobs/{**path}"] = new SiteAdministrator(RefusesTokens: true),
        ["GET /api/v1/me"] = new Api(new SignedIn()),
        ["GET /api/v1/projects"] = new Api(new SignedIn()),
        ["GET /api/v1/projects/{slug}"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/resolve"] = new Api(new SignedInFlow()),
        ["POST /api/v1/projects/{slug}/artifacts"] = new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["PATCH /api/v1/projects/{slug}/artifacts/{name}"] = new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["DELETE /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}"] =
            new Api(new Project(ProjectOperation.DeleteArtifactVersions, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/files/{**path}"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/zip"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["PUT /api/v1/projects/{slug}/artifacts/{name}/aliases/{alias}"] = new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["DELETE /api/v1/projects/{slug}/artifacts/{name}/aliases/{alias}"] = new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["POST /api/v1/projects/{slug}/artifacts/{name}/uploads"] = new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["GET /api/v1/projects/{slug}/promotions"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["POST /api/v1/projects/{slug}/models/{model}/promotions"] = new Api(new Project(ProjectOperation.RequestPromotion, IsPage: false)),
        ["GET /api/v1/projects/{slug}/promotions/{number:int}"] =
            new NotProbed("the matrix project has no model; PromotionWorkflowTests asks as members of each role"),
        ["POST /api/v1/projects/{slug}/promotions/{number:int}/reviews"] = new Api(new Project(ProjectOperation.ApprovePromotion, IsPage: false)),
        ["POST /api/v1/projects/{slug}/promotions/{number:int}/comments"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["POST /api/v1/projects/{slug}/promotions/{number:int}/withdraw"] = new Api(new Project(ProjectOperation.RequestPromotion, IsPage: false)),
        ["POST /api/v1/projects/{slug}/promotions/{number:int}/reopen"] = new Api(new Project(ProjectOperation.RequestPromotion, IsPage: false)),
        ["GET /api/v1/projects/{slug}/models/{model}/aliases/{alias}"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/models/{model}/alias-history"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["POST /api/v1/projects/{slug}/models/{model}/aliases/{alias}/override"] = new Api(new Project(ProjectOperation.ManageOwners, IsPage: false)),
        ["GET /api/v1/projects/{slug}/protected-aliases"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["PUT /api/v1/projects/{slug}/protected-aliases/{alias}"] = new Api(new Project(ProjectOperation.EditSettings, IsPage: false)),
        ["DELETE /api/v1/projects/{slug}/protected-aliases/{alias}"] = new Api(new Project(ProjectOperation.EditSettings, IsPage: false)),
        ["GET /api/v1/projects/{slug}/webhooks"] = new Api(new Project(ProjectOperation.EditSettings, IsPage: false)),
        ["POST /api/v1/projects/{slug}/webhooks"] = new Api(new Project(ProjectOperation.EditSettings, IsPage: false)),
        ["PATCH /api/v1/projects/{slug}/webhooks/{id:guid}"] = new NotProbed("needs a webhook of the project; WebhookDeliveryTests checks Editors get 403"),
        ["DELETE /api/v1/projects/{slug}/webhooks/{id:guid}"] = new NotProbed("needs a webhook of the project; WebhookDeliveryTests checks Editors get 403"),
        ["GET /api/v1/projects/{slug}/webhooks/{id:guid}/deliveries"] =
            new NotProbed("needs a webhook of the project; WebhookDeliveryTests checks Editors get 403"),
        ["POST /api/v1/projects/{slug}/webhooks/{id:guid}/deliveries/{deliveryId:guid}/redeliver"] =
            new NotProbed("needs a failed delivery; WebhookDeliveryTests checks Editors get 403"),
        ["GET /api/v1/me/reviews"] = new Api(new SignedIn()),
        ["GET /api/v1/me/notifications"] = new Api(new SignedIn()),
        ["POST /api/v1/me/notifications/read"] = new Api(new SignedIn()),
        ["POST /api/v1/projects/{slug}/experiments"] = new Api(new Project(ProjectOperation.LogRuns, IsPage: false)),
        ["GET /api/v1/projects/{slug}/experiments"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["POST /api/v1/projects/{slug}/runs"] = new Api(new Project(ProjectOperation.LogRuns, IsPage: false)),
        ["GET /api/v1/projects/{slug}/runs"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/runs/{number:int}"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["PATCH /api/v1/projects/{slug}/runs/{number:int}"] = new Api(new Project(ProjectOperation.LogRuns, IsPage: false)),
        ["POST /api/v1/projects/{slug}/runs/{number:int}/heartbeat"] = new Api(new Project(ProjectOperation.LogRuns, IsPage: false)),
        ["POST /api/v1/projects/{slug}/runs/{number:int}/inputs"] = new Api(new Project(ProjectOperation.LogRuns, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/statistics"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/statistics/compare"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/evaluation"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/models/{model}/evaluations"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/jobs"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["POST /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/jobs/{kind}/rerun"] =
            new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["GET /p/{slug}/thumbnails/{sha256}.webp"] =
            new NotProbed("needs the hash of a stored thumbnail; AnalysisJobsTests checks members, outsiders and anonymous callers"),
        ["POST /api/v1/projects/{slug}/runs/{number:int}/metrics"] = new Api(new Project(ProjectOperation.LogRuns, IsPage: false)),
        ["GET /api/v1/projects/{slug}/runs/{number:int}/metrics"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/projects/{slug}/runs/{number:int}/metrics/{**key}"] = new Api(new Project(ProjectOperation.View, IsPage: false)),
        ["GET /api/v1/uploads/{id:guid}"] = new NotProbed("an upload belongs to the person who began it; covered by ArtifactUploadTests"),
        ["DELETE /api/v1/uploads/{id:guid}"] = new NotProbed("an upload belongs to the person who began it; covered by ArtifactUploadTests"),
        ["PUT /api/v1/uploads/{id:guid}/files/{index:int}"] = new NotProbed("an upload belongs to the person who began it; covered by ArtifactUploadTests"),
        ["POST /api/v1/uploads/{id:guid}/commit"] = new NotProbed("an upload belongs to the person who began it; covered by ArtifactUploadTests"),
        // Lineage: without ?node= the API answers 400 to every signed-in caller; LineageApiTests covers real nodes.
        ["GET /api/v1/lineage"] = new Api(new SignedInFlow()),
        ["POST /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/derived-from"] =
            new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["DELETE /api/v1/projects/{slug}/artifacts/{name}/versions/{reference}/derived-from"] =
            new Api(new Project(ProjectOperation.UploadArtifacts, IsPage: false)),
        ["GET /p/{Slug}/lineage"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/members"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/settings"] = new Project(ProjectOperation.EditSettings),
        ["GET /p/{Slug}/settings/protected-aliases"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/settings/webhooks"] = new Project(ProjectOperation.EditSettings),
        // A webhook that does not exist: Maintainers get the page saying so, others the usual refusal.
        ["GET /p/{Slug}/settings/webhooks/{WebhookId:guid}"] = new Project(ProjectOperation.EditSettings),
        ["GET /p/{Slug}/audit"] = new Project(ProjectOperation.ViewAuditLog),
        ["GET /p/{Slug}/share-links"] = new Project(ProjectOperation.ManageShareLinks),
        ["GET /p/{slug}/audit.csv"] = new Project(ProjectOperation.ViewAuditLog, IsPage: false),
        ["GET /p/{Slug}/artifacts"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/artifacts/{Name}"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/artifacts/{Name}/{Version}"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/artifacts/{Name}/compare"] = new Project(ProjectOperation.View),
        ["GET /p/{slug}/artifacts/{name}/v{number:int}/view/{**path}"] = new Project(ProjectOperation.View, IsPage: false),
        ["GET /p/{Slug}/runs"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/runs/{Number:int}"] = new Project(ProjectOperation.View),
        ["GET /reviews"] = new SignedIn(),
        ["GET /p/{Slug}/models"] = new Project(ProjectOperation.View),
        // The matrix artifact is not a model: the page says so, to members who may view the project.
        ["GET /p/{Slug}/models/{Name}"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/models/{Name}/evaluations"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/promotions"] = new Project(ProjectOperation.View),
        // No request #1 in the matrix project: the page says so, to members who may view the project.
        ["GET /p/{Slug}/promotions/{Number:int}"] = new Project(ProjectOperation.View),
        ["GET /p/{Slug}/runs/compare"] = new Project(ProjectOperation.View),
        ["GET /Account/AccessDenied"] = new Public(),
        ["GET /Account/ConfirmEmail"] = new PublicFlow(),
        ["GET /Account/ConfirmEmailChange"] = new PublicFlow(),
        ["GET /Account/ExternalLogin"] = new PublicFlow(),
        ["GET /Account/ForgotPassword"] = new Public(),
        ["GET /Account/ForgotPasswordConfirmation"] = new Public(),
        ["GET /Account/InvalidPasswordReset"] = new Public(),
        ["GET /Account/InvalidUser"] = new Public(),
        ["GET /Account/Lockout"] = new Public(),
        ["GET /Account/Login"] = new Public(),
        ["GET /Account/LoginWith2fa"] = new PublicFlow(),
        ["GET /Account/LoginWithRecoveryCode"] = new PublicFlow(),
        ["GET /Account/Register"] = new Public(),
        ["GET /Account/RegisterConfirmation"] = new PublicFlow(),
        ["GET /Account/ResendEmailConfirmation"] = new Public(),
        ["GET /Account/ResetPassword"] = new PublicFlow(),
        ["GET /Account/ResetPasswordConfirmation"] = new Public(),
        ["GET /Account/Manage"] = new SignedIn(),
        ["GET /Account/Manage/ChangePassword"] = new SignedIn(),
        ["GET /Account/Manage/DeletePersonalData"] = new SignedIn(),
        ["GET /Account/Manage/Disable2fa"] = new SignedInFlow(),
        ["GET /Account/Manage/Email"] = new SignedIn(),
        ["GET /Account/Manage/EnableAuthenticator"] = new SignedIn(),
        ["GET /Account/Manage/ExternalLogins"] = new SignedIn(),
        ["GET /Account/Manage/GenerateRecoveryCodes"] = new SignedInFlow(),
        ["GET /Account/Manage/Passkeys"] = new SignedIn(),
        ["GET /Account/Manage/PersonalData"] = new SignedIn(),
        ["GET /Account/Manage/RenamePasskey/{Id}"] = new SignedInFlow(),
        ["GET /Account/Manage/ResetAuthenticator"] = new SignedIn(),
        ["GET /Account/Manage/SetPassword"] = new SignedInFlow(),
        ["GET /Account/Manage/TwoFactorAuthentication"] = new SignedIn(),
        ["GET /Account/Manage/Tokens"] = new SignedIn(),
        ["POST /Account/Logout"] = new NotProbed("form post with antiforgery; covered by the log-out tests"),
        ["POST /Account/PerformExternalLogin"] = new NotProbed("no external providers are configured"),
        ["POST /Account/PasskeyCreationOptions"] = new NotProbed("template passkey endpoint; antiforgery-protected"),
        ["POST /Account/PasskeyRequestOptions"] = new NotProbed("template passkey endpoint; antiforgery-protected"),
        ["POST /Account/Manage/LinkExternalLogin"] = new NotProbed("no external providers are configured"),
        ["POST /Account/Manage/DownloadPersonalData"] = new NotProbed("template endpoint; antiforgery-protected"),
        ["* /_blazor"] = new NotProbed("Blazor Server circuit transport"),
        ["* /_blazor/negotiate"] = new NotProbed("Blazor Server circuit transport"),
        ["* /_blazor/disconnect/"] = new NotProbed("Blazor Server circuit transport"),
        ["* /_blazor/initializers/"] = new NotProbed("Blazor Server start-up script list"),
        ["GET /_framework/opaque-redirect"] = new NotProbed("Blazor enhanced-navigation redirect helper"),
        ["GET /{**path:file}"] = new NotProbed("static files (wwwroot), public by design"),
        ["HEAD /{**path:file}"] = new NotProbed("static files (wwwroot), public by design"),
    };

    [Fact]
    public async Task Endpoints_EveryRoute_HasARule()
    {
        var portal = await fixture.SharedPortalAsync(DatabaseProvider.Sqlite);

        var missing = RoutesOf(portal).Where(route => !Rules.ContainsKey(route)).ToList();
        var stale = Rules.Keys.Where(key => !RoutesOf(portal).Contains(key)).ToList();

        Assert.True(missing.Count == 0, "Endpoints without a permission rule in PermissionMatrixTests: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rules for endpoints that no longer exist: " + string.Join(", ", stale));
    }

    [Theory, DatabaseProviders]
    public async Task Endpoints_EveryActor_GetsWhatTheMatrixSays(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var emails = new Dictionary<Actor, string>();
        var browsers = await SignInActorsAsync(portal, emails);
        try
        {
            var slug = await CreateProjectWithMembersAsync(portal, emails);
            var failures = new List<string>();
            foreach (var (route, rule) in Rules)
            {
                if (rule is NotProbed || !(route.StartsWith("GET ", StringComparison.Ordinal) || route.StartsWith("* ", StringComparison.Ordinal)))
                {
                    continue;
                }

                var path = route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]
                    .Replace("{name}/versions/{reference}/evaluation", $"{MatrixEvaluation}/versions/v1/evaluation", StringComparison.Ordinal)
                    .Replace("{Name}", MatrixArtifact, StringComparison.OrdinalIgnoreCase)
                    .Replace("{model}", MatrixArtifact, StringComparison.Ordinal)
                    .Replace("{alias}", "latest", StringComparison.Ordinal)
                    .Replace("{Version}", "v1", StringComparison.Ordinal)
                    .Replace("v{number:int}", "v1", StringComparison.Ordinal)
                    .Replace("{number:int}", "1", StringComparison.OrdinalIgnoreCase)
                    .Replace("{reference}", "v1", StringComparison.Ordinal)
                    .Replace("/statistics/compare", "/statistics/compare?with=v1", StringComparison.Ordinal)
                    .Replace("/runs/compare", "/runs/compare?runs=1", StringComparison.Ordinal)
                    .Replace("/view/{**path}", $"/view/{MatrixFile}", StringComparison.Ordinal)
                    .Replace("/files/{**path}", $"/files/{MatrixFile}", StringComparison.Ordinal)
                    .Replace("{number:int}", "1", StringComparison.Ordinal)
                    .Replace("{**key}", MatrixMetric, StringComparison.Ordinal)
                    .Replace("{Slug}", slug, StringComparison.Ordinal)
                    .Replace("{slug}", slug, StringComparison.Ordinal)
                    .Replace("{WebhookId:guid}", Guid.Empty.ToString(), StringComparison.Ordinal)
                    .Replace("{Token}", "no-such-invitation", StringComparison.Ordinal)
                    .Replace("{Secret}", "no-such-share-link", StringComparison.OrdinalIgnoreCase)
                    .Replace("{Id}", "no-such-passkey", StringComparison.Ordinal)
                    .Replace("{documentName}", ApiDocumentation.DocumentName, StringComparison.Ordinal)
                    .Replace("{documentName?}", ApiDocumentation.DocumentName, StringComparison.Ordinal)
                    .Replace("{**path}", "", StringComparison.Ordinal);
                foreach (var actor in Enum.GetValues<Actor>())
                {
                    var expected = Expected(rule, actor);
                    var actual = await ProbeAsync(browsers[actor], path, expected);
                    if (actual is not null)
                    {
                        failures.Add($"{route} as {actor}: expected {expected}, got {actual}");
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
        finally
        {
            foreach (var browser in browsers.Values)
            {
                browser.Dispose();
            }
        }
    }

    private static Outcome Expected(Rule rule, Actor actor) => rule switch
    {
        Public => Outcome.Ok,
        PublicFlow => Outcome.Answered,
        Api when actor == Actor.Anonymous => Outcome.Unauthorized,
        Api api => Expected(api.Inner, actor == Actor.AdministratorToken ? Actor.Administrator : actor),
        SiteAdministrator { RefusesTokens: true } when actor == Actor.AdministratorToken => Outcome.Forbidden,
        // Pages and their forms never run on a token: to them a token caller is anonymous.
        _ when actor is Actor.Anonymous or Actor.AdministratorToken => Outcome.LoginRedirect,
        SignedIn => Outcome.Ok,
        SignedInFlow => Outcome.Answered,
        SiteAdministrator => actor == Actor.Administrator ? Outcome.Ok : Outcome.Forbidden,
        Project project => ProjectOutcome(project, actor),
        _ => throw new InvalidOperationException($"No expectation for {rule}."),
    };

    private static Outcome ProjectOutcome(Project rule, Actor actor)
    {
        ProjectRole? role = actor switch
        {
            Actor.Viewer => ProjectRole.Viewer,
            Actor.Editor => ProjectRole.Editor,
            Actor.Maintainer => ProjectRole.Maintainer,
            Actor.Owner => ProjectRole.Owner,
            _ => null,
        };
        var administrator = actor == Actor.Administrator;
        bool Allows(ProjectOperation operation) =>
            ProjectPermissions.IsAllowed(operation, role, ProjectVisibility.Private, isArchived: false, administrator);

        if (Allows(rule.Operation))
        {
            return Outcome.Ok;
        }

        // Outsiders cannot tell a private project from a missing one; members who lack the role are told so.
        return !Allows(ProjectOperation.View) ? Outcome.NotFound : rule.IsPage ? Outcome.NotAllowedInPage : Outcome.Forbidden;
    }

    /// <summary>Null when the response is what <paramref name="expected"/> describes, else what it was.</summary>
    private static async Task<string?> ProbeAsync(PortalBrowser browser, string path, Outcome expected)
    {
        using var response = await browser.Client.GetAsync(path);
        var status = (int)response.StatusCode;
        var target = browser.RedirectTarget(response);
        var location = target?.AbsolutePath;
        // The sign-in challenge carries ReturnUrl; a page that sends people to log in on its own (a stale link) does not.
        var challenged = location == "/Account/Login" && target!.Query.Contains("ReturnUrl=", StringComparison.Ordinal);
        var body = await response.Content.ReadAsStringAsync();
        var notAllowed = body.Contains("data-testid=\"not-allowed\"", StringComparison.Ordinal);
        var describe = $"{status}{(target is null ? "" : " → " + target.PathAndQuery)}{(notAllowed ? " (not-allowed message)" : "")}";
        var matches = expected switch
        {
            Outcome.Ok => status == 200 && !notAllowed,
            Outcome.LoginRedirect => status == 302 && challenged,
            Outcome.NotFound => status == 404 && !body.Contains("data-testid=\"project-name\"", StringComparison.Ordinal),
            Outcome.Forbidden => status == 403,
            Outcome.NotAllowedInPage => status == 200 && notAllowed,
            Outcome.Answered => status < 500 && !challenged,
            Outcome.Unauthorized => status == 401 && target is null,
            _ => false,
        };
        return matches ? null : describe;
    }

    /// <param name="emails">Receives the account each signed-in actor registered.</param>
    private static async Task<Dictionary<Actor, PortalBrowser>> SignInActorsAsync(PortalWebApplicationFactory portal, Dictionary<Actor, string> emails)
    {
        var browsers = new Dictionary<Actor, PortalBrowser> { [Actor.Anonymous] = portal.CreateBrowser() };
        foreach (var actor in Enum.GetValues<Actor>().Where(a => a is not Actor.Anonymous and not Actor.Administrator and not Actor.AdministratorToken))
        {
            var browser = portal.CreateBrowser();
            emails[actor] = PortalBrowser.NewEmail(actor.ToString().ToLowerInvariant());
            await browser.RegisterAndSignInAsync(emails[actor]);
            browsers[actor] = browser;
        }

        var administrator = portal.CreateBrowser();
        await administrator.LogInSuccessfullyAsync(PortalFixture.OwnerEmail);
        browsers[Actor.Administrator] = administrator;

        var created = await portal.Service<PersonalAccessTokenService>().CreateAsync(
            (await portal.AdministratorAsync()).Principal, new NewPersonalAccessToken("matrix", TokenScopes.Read | TokenScopes.Write, 1, []));
        Assert.True(created.Succeeded, created.ErrorMessage);
        var tokenCaller = portal.CreateBrowser();
        tokenCaller.Client.DefaultRequestHeaders.Authorization = new("Bearer", created.Value!.Token);
        browsers[Actor.AdministratorToken] = tokenCaller;
        return browsers;
    }

    /// <summary>A private project owned by the Owner actor, with the Viewer, Editor and Maintainer actors as members.</summary>
    /// <remarks>
    /// Uses the accounts this run registered: other tests on the shared portal also create "maintainer-…" accounts, and
    /// the database returns rows in no particular order.
    /// </remarks>
    private static async Task<string> CreateProjectWithMembersAsync(PortalWebApplicationFactory portal, Dictionary<Actor, string> emails)
    {
        Task<System.Security.Claims.ClaimsPrincipal> ActorAsync(Actor actor) => PortalUsers.PrincipalAsync(portal, emails[actor]);

        var slug = await portal.CreateProjectAsync(await ActorAsync(Actor.Owner), "Matrix", ProjectVisibility.Private);
        await portal.AddMemberAsync(slug, await ActorAsync(Actor.Viewer), ProjectRole.Viewer);
        await portal.AddMemberAsync(slug, await ActorAsync(Actor.Editor), ProjectRole.Editor);
        await portal.AddMemberAsync(slug, await ActorAsync(Actor.Maintainer), ProjectRole.Maintainer);
        await AddArtifactAsync(portal, await ActorAsync(Actor.Owner), slug);
        // Run 1 with a metric, so routes naming a run or a metric key lead somewhere.
        await AddRunWithMetricAsync(portal, await ActorAsync(Actor.Owner), slug);
        return slug;
    }

    private const string MatrixArtifact = "weights";
    private const string MatrixFile = "model.txt";
    private const string MatrixEvaluation = "scores";
    private const string MatrixMetric = "loss";

    /// <summary>Run 1 with one point of <see cref="MatrixMetric"/>, so the run and metric routes lead somewhere.</summary>
    private static async Task AddRunWithMetricAsync(PortalWebApplicationFactory portal, System.Security.Claims.ClaimsPrincipal owner, string slug)
    {
        var number = await portal.CreateRunAsync(await portal.ProjectIdAsync(slug), owner.UserId()!);
        await portal.Service<MetricService>().LogAsync(owner, slug, number, [new NewMetricPoint(MatrixMetric, 0, 1.0)]);
    }

    /// <summary>An artifact with one version, so routes naming an artifact, version or file lead somewhere.</summary>
    private static async Task AddArtifactAsync(PortalWebApplicationFactory portal, System.Security.Claims.ClaimsPrincipal owner, string slug)
    {
        var created = await portal.Service<ArtifactService>().CreateAsync(owner, slug, new NewArtifact(MatrixArtifact, ArtifactType.Model));
        Assert.True(created.Succeeded, created.ErrorMessage);
        var uploads = portal.Service<UploadService>();
        var content = "weights"u8.ToArray();
        // An empty file too: the zip of a version with one once failed for every caller.
        var upload = await uploads.BeginAsync(
            owner, slug, MatrixArtifact, new BeginUpload([new UploadFileRequest(MatrixFile, content.Length), new UploadFileRequest("empty.txt", 0)]));
        await uploads.PutFileAsync(owner, upload.Id, 0, new MemoryStream(content), sha256: null);
        await uploads.CommitAsync(owner, upload.Id);

        // The evaluation route reads Evaluation artifacts only.
        Assert.True((await portal.Service<ArtifactService>().CreateAsync(owner, slug, new NewArtifact(MatrixEvaluation, ArtifactType.Evaluation))).Succeeded);
        var metrics = """{"accuracy": 0.9}"""u8.ToArray();
        var evaluation = await uploads.BeginAsync(owner, slug, MatrixEvaluation, new BeginUpload([new UploadFileRequest("metrics.json", metrics.Length)]));
        await uploads.PutFileAsync(owner, evaluation.Id, 0, new MemoryStream(metrics), sha256: null);
        await uploads.CommitAsync(owner, evaluation.Id);
    }

    /// <summary>"METHOD /pattern" for every endpoint the app routes, static files left out.</summary>
    private static HashSet<string> RoutesOf(PortalWebApplicationFactory portal)
    {
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (IsStaticFile(endpoint))
            {
                continue;
            }

            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            {
                // Blazor pages answer GET and the POST of their forms; the rule is about opening them.
                methods = ["GET"];
            }

            foreach (var method in methods is { Count: > 0 } ? methods : ["*"])
            {
                routes.Add($"{method} {pattern}");
            }
        }

        return routes;
    }

    private static bool IsStaticFile(Endpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal));
}
