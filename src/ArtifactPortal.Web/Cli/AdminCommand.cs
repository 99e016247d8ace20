using System.CommandLine;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace ArtifactPortal.Web.Cli;

internal static class AdminCommand
{
    public static Command Create() => new("admin", "Manage accounts and projects, back up and restore from the command line.")
    {
        CreateUser(),
        ResetPassword(),
        CreateToken(),
        CreateProject(),
        BackupCommand.Backup(),
        BackupCommand.Restore(),
    };

    private static Command CreateUser()
    {
        var email = new Option<string>("--email") { Description = "Email address, also the user name.", Required = true };
        var password = new Option<string>("--password") { Description = "Initial password.", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Make the account a site administrator." };
        var command = new Command("create-user", "Create a confirmed account.") { email, password, admin };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var app = await OperatorHost.StartAsync(migrate: false, cancellationToken).ConfigureAwait(false);
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var address = parseResult.GetRequiredValue(email).Trim();
            var user = new PortalUser { UserName = address, Email = address, EmailConfirmed = true };
            var created = await users.CreateAsync(user, parseResult.GetRequiredValue(password)).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                return Fail($"Could not create {address}: {Describe(created)}");
            }

            if (parseResult.GetValue(admin) && !await users.IsInRoleAsync(user, PortalRoles.Administrator).ConfigureAwait(false))
            {
                var promoted = await users.AddToRoleAsync(user, PortalRoles.Administrator).ConfigureAwait(false);
                if (!promoted.Succeeded)
                {
                    return Fail($"Created {address}, but could not make it an administrator: {Describe(promoted)}");
                }
            }

            var isAdmin = await users.IsInRoleAsync(user, PortalRoles.Administrator).ConfigureAwait(false);
            Console.WriteLine($"Created user {address}{(isAdmin ? " (site administrator)" : "")}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ResetPassword()
    {
        var email = new Option<string>("--email") { Description = "Email address of the account.", Required = true };
        var command = new Command("reset-password", "Print a one-time password reset link for an account.") { email };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var app = await OperatorHost.StartAsync(migrate: false, cancellationToken).ConfigureAwait(false);
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var address = parseResult.GetRequiredValue(email).Trim();
            var user = await users.FindByEmailAsync(address).ConfigureAwait(false);
            if (user is null)
            {
                return Fail($"No account with the email {address}.");
            }

            var administration = app.Services.GetRequiredService<UserAdministrationService>();
            var publicUrl = new Uri(app.Configuration["Portal:PublicUrl"] ?? "http://localhost:5000/");
            var link = await administration.CreatePasswordResetLinkAsync(user.Id, publicUrl).ConfigureAwait(false);
            Console.WriteLine($"Password reset link for {address} (valid for one use):");
            Console.WriteLine(link.Value);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateToken()
    {
        var email = new Option<string>("--email") { Description = "Email address of the account the token acts as.", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for, e.g. \"nightly CI\".", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "read, write or read,write.", Required = true };
        var expiresDays = new Option<int?>("--expires-days") { Description = "Days until the token expires; without it, it never expires." };
        var command = new Command("create-token", "Create a personal access token for an account and print it once.")
        {
            email, name, scopes, expiresDays,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!TokenScopeNames.TryParse(parseResult.GetRequiredValue(scopes), out var tokenScopes))
            {
                return Fail($"--scopes must be read, write or read,write, not '{parseResult.GetRequiredValue(scopes)}'.", ExitCodes.BadArguments);
            }

            var days = parseResult.GetValue(expiresDays);
            if (days is < 1 or > PersonalAccessTokenService.MaxExpiresInDays)
            {
                return Fail($"--expires-days must be between 1 and {PersonalAccessTokenService.MaxExpiresInDays}.", ExitCodes.BadArguments);
            }

            await using var app = await OperatorHost.StartAsync(migrate: false, cancellationToken).ConfigureAwait(false);
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var address = parseResult.GetRequiredValue(email).Trim();
            var user = await users.FindByEmailAsync(address).ConfigureAwait(false);
            if (user is null)
            {
                return Fail($"No account with the email {address}.");
            }

            if (user.IsDisabled)
            {
                return Fail($"The account {address} is disabled; its tokens would not work.");
            }

            var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>()
                .CreateAsync(user).ConfigureAwait(false);
            var tokens = app.Services.GetRequiredService<PersonalAccessTokenService>();
            var created = await tokens.CreateByOperatorAsync(
                principal, new NewPersonalAccessToken(parseResult.GetRequiredValue(name), tokenScopes, days, []), cancellationToken).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                return Fail($"Could not create the token: {created.ErrorMessage}", ExitCodes.BadArguments);
            }

            var summary = created.Value!.Summary;
            var expiry = summary.ExpiresAt is { } at ? $"expires {at:yyyy-MM-dd}" : "never expires";
            // The token alone on the last line, so scripts can take it with `tail -n 1`.
            Console.WriteLine($"Token \"{summary.Name}\" for {address} ({string.Join(",", TokenScopeNames.Of(summary.Scopes))}, {expiry}). It is shown only once:");
            Console.WriteLine(created.Value.Token);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateProject()
    {
        var owner = new Option<string>("--owner") { Description = "Email address of the account that owns the project.", Required = true };
        var name = new Option<string>("--name") { Description = "Display name.", Required = true };
        var slug = new Option<string>("--slug") { Description = "URL name (lower-case letters, digits, hyphens).", Required = true };
        var visibility = new Option<ProjectVisibility>("--visibility")
        {
            Description = "private (members only, the default), internal or public.",
            DefaultValueFactory = _ => ProjectVisibility.Private,
        };
        var command = new Command("create-project", "Create a project owned by an account, e.g. to bootstrap a new portal.")
        {
            owner, name, slug, visibility,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var app = await OperatorHost.StartAsync(migrate: false, cancellationToken).ConfigureAwait(false);
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var address = parseResult.GetRequiredValue(owner).Trim();
            var user = await users.FindByEmailAsync(address).ConfigureAwait(false);
            if (user is null)
            {
                return Fail($"No account with the email {address}.");
            }

            var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>()
                .CreateAsync(user).ConfigureAwait(false);
            var created = await app.Services.GetRequiredService<ProjectService>().CreateAsync(principal, new NewProject(
                parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(slug), "", parseResult.GetValue(visibility)), cancellationToken)
                .ConfigureAwait(false);
            if (!created.Succeeded)
            {
                return Fail($"Could not create the project: {created.ErrorMessage}", ExitCodes.BadArguments);
            }

            Console.WriteLine($"Created project {created.Value!.Slug} owned by {address}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private static int Fail(string message, int exitCode = ExitCodes.Failure)
    {
        Console.Error.WriteLine(message);
        return exitCode;
    }
}
