using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>One HTML page as a browser received it.</summary>
public sealed record PortalPage(Uri Url, IHtmlDocument Document)
{
    /// <summary>What a person reads on the page.</summary>
    public string Text => Document.Body?.TextContent ?? "";
}

/// <summary>
/// Drives the static server-rendered account pages the way a browser without JavaScript would: cookies kept,
/// forms posted with their hidden fields (antiforgery token, Blazor form name), redirects left for the test to check.
/// </summary>
public sealed class PortalBrowser(HttpClient client) : IDisposable
{
    public const string TestPassword = "correct horse battery staple";

    public HttpClient Client => client;

    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.com";

    /// <summary>Opens a page and expects 200.</summary>
    public async Task<PortalPage> OpenAsync(string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"GET {url}: expected 200, got {(int)response.StatusCode} {response.Headers.Location}");
        return await ParseAsync(response);
    }

    /// <summary>Fills in and posts the Blazor form named <paramref name="formName"/>, as the submit button would.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(PortalPage page, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var form = page.Document.QuerySelectorAll<IHtmlFormElement>("form")
            .FirstOrDefault(f => f.QuerySelector($"input[name='_handler'][value='{formName}']") is not null);
        Assert.True(form is not null, $"{page.Url} has no form named {formName}.");

        var values = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll<IHtmlInputElement>("input[name]"))
        {
            var isToggle = input.Type is "checkbox" or "radio";
            if (input.Type is "submit" or "button" or "image" || (isToggle && !input.IsChecked))
            {
                continue;
            }

            values[input.Name!] = input.GetAttribute("value") ?? (isToggle ? "on" : "");
        }

        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? page.Url : new Uri(page.Url, action);
        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(target, content);
    }

    /// <summary>Follows a redirect response and expects the page it leads to.</summary>
    public async Task<PortalPage> FollowAsync(HttpResponseMessage redirect)
    {
        var location = RedirectTarget(redirect);
        Assert.True(location is not null, $"Expected a redirect, got {(int)redirect.StatusCode}.");
        return await OpenAsync(location.PathAndQuery);
    }

    /// <summary>Where a redirect leads, resolved against the portal's address; null when the response is no redirect.</summary>
    public Uri? RedirectTarget(HttpResponseMessage response) =>
        (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location
            ? new Uri(client.BaseAddress!, location)
            : null;

    public async Task<HttpResponseMessage> RegisterAsync(string email, string password = TestPassword)
    {
        var page = await OpenAsync("/Account/Register");
        return await SubmitFormAsync(page, "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
    }

    /// <summary>Registers and checks that the portal signed the new account in and sent it home.</summary>
    public async Task RegisterAndSignInAsync(string email, string password = TestPassword)
    {
        using var response = await RegisterAsync(email, password);
        Assert.Equal("/", RedirectTarget(response)?.AbsolutePath);
    }

    public async Task<HttpResponseMessage> LogInAsync(string email, string password)
    {
        var page = await OpenAsync("/Account/Login");
        return await SubmitFormAsync(page, "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    /// <summary>Logs in and checks that the portal accepted the password and sent the person home.</summary>
    public async Task LogInSuccessfullyAsync(string email, string password = TestPassword)
    {
        using var response = await LogInAsync(email, password);
        var target = RedirectTarget(response);
        if (target is null)
        {
            var page = await ParseAsync(response);
            Assert.Fail($"Logging in as {email} did not redirect: {page.Document.QuerySelector("[role=alert], .text-danger")?.TextContent}");
        }

        Assert.Equal("/", target.AbsolutePath);
    }

    /// <summary>
    /// Posts the user menu's log-out form. That menu only renders once the interactive circuit opens it, so the
    /// antiforgery token comes from the account page's form, as the menu's own &lt;AntiforgeryToken /&gt; would.
    /// </summary>
    public async Task LogOutAsync()
    {
        var account = await OpenAsync("/Account/Manage");
        var token = account.Document.QuerySelector<IHtmlInputElement>("input[name='__RequestVerificationToken']")?.Value;
        Assert.False(string.IsNullOrEmpty(token), "The account page has no antiforgery token.");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["ReturnUrl"] = "",
        });
        using var response = await client.PostAsync("/Account/Logout", content);
        Assert.Equal("/", RedirectTarget(response)?.AbsolutePath);
    }

    public void Dispose() => client.Dispose();

    public static async Task<PortalPage> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var document = await new HtmlParser().ParseDocumentAsync(html);
        return new PortalPage(response.RequestMessage!.RequestUri!, document);
    }
}
