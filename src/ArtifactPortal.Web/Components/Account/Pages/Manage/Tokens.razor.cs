using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using Microsoft.AspNetCore.Components;

namespace ArtifactPortal.Web.Components.Account.Pages.Manage;

/// <summary>Create, list and revoke personal access tokens; a new token is rendered once, in the response to its form.</summary>
public partial class Tokens
{
    /// <summary>Checkbox name of the project restriction; read from the form directly since it may repeat.</summary>
    public const string ProjectIdsField = "ProjectIds";

    private string? _message;
    private CreatedPersonalAccessToken? _created;
    private List<string> _errors = [];
    private IReadOnlyList<PersonalAccessTokenSummary> _tokens = [];
    private IReadOnlyList<ProjectSummary> _myProjects = [];
    private DateTimeOffset _now;

    [Inject]
    private PersonalAccessTokenService TokenService { get; set; } = default!;

    [Inject]
    private ProjectService Projects { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IdentityRedirectManager RedirectManager { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "create-token")]
    private InputModel Input { get; set; } = default!;

    [SupplyParameterFromForm]
    private Guid? TokenId { get; set; }

    private string BaseUrl => Navigation.BaseUri;

    protected override async Task OnInitializedAsync()
    {
        // Defaults for an empty form only: a posted form leaves unticked boxes and "Never" out, which must read as false/null.
        Input ??= InputModel.Defaults();
        var userId = HttpContext.User.UserId();
        if (userId is null)
        {
            return;
        }

        _myProjects = await Projects.ListMineAsync(userId, HttpContext.RequestAborted);
        await LoadTokensAsync();
    }

    private async Task CreateAsync()
    {
        var scopes = (Input.Read ? TokenScopes.Read : TokenScopes.None) | (Input.Write ? TokenScopes.Write : TokenScopes.None);
        var projectIds = HttpContext.Request.Form[ProjectIdsField]
            .Select(v => Guid.TryParse(v, CultureInfo.InvariantCulture, out var id) ? id : Guid.Empty)
            .ToList();
        var result = await TokenService.CreateAsync(
            HttpContext.User, new NewPersonalAccessToken(Input.Name, scopes, Input.ExpiresInDays, projectIds), HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            _errors = [.. result.Errors.Values];
            return;
        }

        _created = result.Value;
        _message = $"Created the token \"{_created!.Summary.Name}\".";
        Input = InputModel.Defaults();
        await LoadTokensAsync();
    }

    private async Task RevokeAsync()
    {
        if (TokenId is not { } tokenId)
        {
            RedirectManager.RedirectToCurrentPageWithStatus("Error: No token was chosen.", HttpContext);
            return;
        }

        var result = await TokenService.RevokeAsync(HttpContext.User, tokenId, HttpContext.RequestAborted);
        RedirectManager.RedirectToCurrentPageWithStatus(result.Succeeded ? "Token revoked." : $"Error: {result.ErrorMessage}", HttpContext);
    }

    private async Task LoadTokensAsync()
    {
        _now = Time.GetUtcNow();
        _tokens = await TokenService.ListMineAsync(HttpContext.User, HttpContext.RequestAborted);
    }

    // The day fits the table; the exact time is in the cell's tooltip.
    private static string Date(DateTimeOffset value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Exact(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private sealed class InputModel
    {
        [Required]
        [StringLength(PersonalAccessToken.MaxNameLength)]
        [Display(Name = "Name")]
        public string Name { get; set; } = "";

        public bool Read { get; set; }

        public bool Write { get; set; }

        public int? ExpiresInDays { get; set; }

        public static InputModel Defaults() => new() { Read = true, ExpiresInDays = 30 };
    }
}
