using System.Net;
using HomeOps.Simulator.Identity;
using HomeOps.Simulator.Tests.Identity.Support;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>The sign-in page: the form the browser tests fill, its failure message, antiforgery and escaping.</summary>
public sealed class LoginFormTests
{
    [Fact]
    public async Task An_anonymous_authorization_request_lands_on_a_login_form_with_antiforgery_and_security_headers()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);

        var hop = await client.FollowAsync(client.NewRequest().Uri);

        Assert.Equal(HttpStatusCode.OK, hop.Status);
        Assert.Equal(host.LoginUri.AbsolutePath, hop.Uri.AbsolutePath);
        Assert.True(LoginForm.IsLoginForm(hop.Body));
        var (_, hidden) = LoginForm.Parse(hop.Body);
        Assert.Contains(hidden, f => f.Key == "__RequestVerificationToken" && f.Value.Length > 20);
        Assert.Contains(hidden, f => f.Key == "next" && f.Value.StartsWith("/application/o/authorize/?", StringComparison.Ordinal));

        using var page = await client.GetAsync(hop.Uri);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData(IdentityProviderHost.AdminUsername, "wrong-password")]
    [InlineData("mallory", "whatever")]
    public async Task Wrong_credentials_show_the_error_and_issue_no_code_nor_session(string username, string password)
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var form = await client.FollowAsync(client.NewRequest().Uri);

        using var response = await client.SubmitLoginAsync(form, username, password);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Invalid username or password", body);
        Assert.True(LoginForm.IsLoginForm(body), "the form is shown again");
        Assert.DoesNotContain(password, body);
        Assert.DoesNotContain(client.Cookies.GetAllCookies(), c => c.Name == "homeops_idp_session");

        // And a fresh authorization request still gets the form, not a code.
        var again = await client.FollowAsync(client.NewRequest().Uri);
        Assert.Null(again.RedirectedTo);
        Assert.True(LoginForm.IsLoginForm(again.Body));
    }

    [Fact]
    public async Task A_hostile_username_is_echoed_escaped()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var form = await client.FollowAsync(client.NewRequest().Uri);

        using var response = await client.SubmitLoginAsync(form, "\"><script>alert(1)</script>", "x");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Invalid username or password", body);
        Assert.DoesNotContain("<script>", body);
        Assert.Contains("&quot;&gt;&lt;script&gt;", body);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_even_with_the_right_password()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var form = await client.FollowAsync(client.NewRequest().Uri);

        using var response = await client.SubmitLoginAsync(form, IdentityProviderHost.AdminUsername, host.AdminPassword, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(client.Cookies.GetAllCookies(), c => c.Name == "homeops_idp_session");
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/application/o/authorize/")]
    [InlineData("/application/o/token/")]
    public async Task The_login_page_returns_only_to_a_local_authorize_url(string next)
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var form = await client.FollowAsync(new Uri(host.LoginUri, "?next=" + Uri.EscapeDataString(next)));
        Assert.DoesNotContain(LoginForm.Parse(form.Body).Hidden, f => f.Key == "next" && f.Value.Length > 0);

        using var response = await client.SubmitLoginAsync(form, IdentityProviderHost.AdminUsername, host.AdminPassword);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // a "signed in" page, no redirect anywhere
        Assert.Null(response.Headers.Location);
        Assert.Contains("signed in", body, StringComparison.OrdinalIgnoreCase);
    }
}
