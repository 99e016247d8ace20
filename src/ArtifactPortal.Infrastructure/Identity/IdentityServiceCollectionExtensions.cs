using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Email;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Identity;

public static class IdentityServiceCollectionExtensions
{
    public const int MinimumPasswordLength = 10;
    public const int MaxFailedAccessAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateOnStart();
        var smtp = configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>() ?? new SmtpOptions();

        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            });
        authentication.AddIdentityCookies();
        // Tokens are accepted only where an endpoint names CookieOrToken: pages with forms must never run on a token.
        services.AddSingleton<TokenPrincipalCache>();
        authentication.AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenAuthenticationHandler>(
            PortalAuthenticationSchemes.PersonalAccessToken, displayName: null, configureOptions: null);
        authentication.AddPolicyScheme(PortalAuthenticationSchemes.CookieOrToken, displayName: null, options =>
            options.ForwardDefaultSelector = context => PersonalAccessTokenAuthenticationHandler.BearerToken(context.Request) is null
                ? PortalAuthenticationSchemes.Cookie
                : PortalAuthenticationSchemes.PersonalAccessToken);

        services.AddIdentityCore<PortalUser>(options =>
            {
                // Confirmation is only asked for when an email can actually reach the person.
                options.SignIn.RequireConfirmedAccount = smtp.IsConfigured;
                options.Stores.SchemaVersion = PortalDbContext.IdentitySchemaVersion;
                options.User.RequireUniqueEmail = true;

                // Length over composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = MinimumPasswordLength;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;

                options.Lockout.MaxFailedAccessAttempts = MaxFailedAccessAttempts;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddUserManager<PortalUserManager>()
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders();

        // A disabled account or a changed password signs out other sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddDataProtection().SetApplicationName("ArtifactPortal").PersistKeysToDbContext<PortalDbContext>();

        if (smtp.IsConfigured)
        {
            services.AddSingleton<IEmailTransport, SmtpEmailTransport>();
        }
        else
        {
            services.AddSingleton<IEmailTransport, LogEmailTransport>();
        }

        services.AddSingleton<IEmailSender<PortalUser>, PortalEmailSender>();
        services.AddSingleton<IInvitationMailer, InvitationMailer>();
        services.AddSingleton<IUserDirectory, UserDirectory>();
        services.AddSingleton<UserAdministrationService>();
        services.AddSingleton<UserPreferenceService>();
        return services;
    }
}
