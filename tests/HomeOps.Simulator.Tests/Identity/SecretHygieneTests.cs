using System.Net;
using HomeOps.Simulator.Identity;
using HomeOps.Simulator.Tests.Identity.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>No password, client secret, code, token or cookie value reaches the logs, at any level.</summary>
public sealed class SecretHygieneTests
{
    [Fact]
    public async Task A_whole_session_logs_no_secret_value()
    {
        var logs = new CapturingLoggerFactory();
        await using var host = await ProviderFixture.StartAsync(logs: logs, configure: o => { o.AdminPassword = null; o.ViewerPassword = null; });
        using var client = new OidcTestClient(host);
        var secrets = new List<string> { host.AdminPassword, host.ViewerPassword, host.ClientSecret };

        // A failed sign-in with the viewer's password typed for admin, then the whole flow, refresh, userinfo and end-session.
        var request = client.NewRequest("openid profile email offline_access");
        var form = await client.FollowAsync(request.Uri);
        (await client.SubmitLoginAsync(form, IdentityProviderHost.AdminUsername, host.ViewerPassword)).Dispose();
        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword);
        var tokens = await client.RedeemAsync(code, request.CodeVerifier, basicAuthentication: true);
        var refreshed = await client.RefreshAsync(tokens.Get("refresh_token")!);
        await client.UserInfoAsync(refreshed.AccessToken);
        var endSession = (await client.GetJsonAsync(host.DiscoveryUri)).GetProperty("end_session_endpoint").GetString()!;
        await client.FollowAsync(new Uri(QueryHelpers.AddQueryString(endSession, new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.IdToken,
            ["post_logout_redirect_uri"] = ProviderFixture.PostLogoutRedirectUri.AbsoluteUri,
        })));

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        secrets.AddRange([code, request.CodeVerifier, tokens.AccessToken, tokens.IdToken, tokens.Get("refresh_token")!,
            refreshed.AccessToken, refreshed.IdToken, refreshed.Get("refresh_token")!]);
        secrets.AddRange(client.Cookies.GetAllCookies().Select(c => c.Value).Where(v => v.Length >= 16));
        // JWTs are also checked by their signature alone, in case a log line holds only part of a token.
        secrets.AddRange(new[] { tokens.AccessToken, tokens.IdToken, refreshed.AccessToken, refreshed.IdToken }.Select(t => t[(t.LastIndexOf('.') + 1)..]));

        Assert.NotEmpty(logs.Lines); // the capture works: the host did log
        var text = logs.AllText;
        foreach (var secret in secrets)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret value ({secret.Length} characters) appears in the logs.");
        }
    }

    [Fact]
    public void Options_and_users_do_not_print_their_passwords()
    {
        var options = new IdentityProviderOptions { AdminPassword = "admin-secret-value", ViewerPassword = "viewer-secret-value", ClientSecret = "client-secret-value" };
        var user = new SimulatedUser("nobody", "nobody-secret-value", ["other"]);
        options.ExtraUsers.Add(user);

        Assert.DoesNotContain("secret-value", options.ToString());
        Assert.Equal("nobody", user.ToString());
    }

    [Fact]
    public async Task Unset_passwords_and_secret_are_generated_strong_distinct_and_working()
    {
        await using var first = await ProviderFixture.StartAsync(configure: o => { o.AdminPassword = null; o.ViewerPassword = null; });
        await using var second = await ProviderFixture.StartAsync(configure: o => { o.AdminPassword = null; o.ViewerPassword = null; });

        string[] generated = [first.AdminPassword, first.ViewerPassword, second.AdminPassword, second.ViewerPassword];
        Assert.All(generated, p => Assert.True(p.Length >= 20 && p.Any(char.IsUpper) | p.Any(char.IsLower) && p.Any(char.IsLetterOrDigit)));
        Assert.Equal(generated.Length, generated.Distinct().Count());
        Assert.True(first.ClientSecret.Length >= 32);
        Assert.NotEqual(first.ClientSecret, second.ClientSecret);

        using var client = new OidcTestClient(first);
        var request = client.NewRequest();
        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.ViewerUsername, first.ViewerPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.RedeemAsync(code, request.CodeVerifier)).Status);
    }

    [Fact]
    public async Task Configured_passwords_and_client_are_used_as_given()
    {
        await using var host = await ProviderFixture.StartAsync(configure: o =>
        {
            o.AdminPassword = "correct horse battery staple";
            o.ClientId = "other-client";
            o.ClientSecret = "configured-client-secret";
            o.Slug = "dash";
        });
        using var client = new OidcTestClient(host);

        var request = client.NewRequest();
        var code = await client.SignInAndGetCodeAsync(request, "ADMIN", "correct horse battery staple"); // usernames ignore case, like Authentik's

        Assert.Equal("configured-client-secret", host.ClientSecret);
        Assert.EndsWith("/application/o/dash/", host.Issuer.AbsoluteUri);
        Assert.Equal(HttpStatusCode.OK, (await client.RedeemAsync(code, request.CodeVerifier)).Status);
    }
}
