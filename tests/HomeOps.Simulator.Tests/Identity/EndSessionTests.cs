using System.Net;
using HomeOps.Simulator.Identity;
using HomeOps.Simulator.Tests.Identity.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>Signing out of the dashboard ends the provider session too (Authentik's end-session endpoint).</summary>
public sealed class EndSessionTests
{
    [Fact]
    public async Task End_session_signs_out_of_the_provider_and_returns_to_the_registered_uri_with_state()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();
        var idToken = (await client.RedeemAsync(
            await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword), request.CodeVerifier)).IdToken;
        var endSession = (await client.GetJsonAsync(host.DiscoveryUri)).GetProperty("end_session_endpoint").GetString()!;

        var hop = await client.FollowAsync(new Uri(QueryHelpers.AddQueryString(endSession, new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken,
            ["post_logout_redirect_uri"] = ProviderFixture.PostLogoutRedirectUri.AbsoluteUri,
            ["state"] = "after-logout",
        })));

        Assert.NotNull(hop.RedirectedTo);
        Assert.Equal(ProviderFixture.PostLogoutRedirectUri.AbsolutePath, hop.RedirectedTo!.AbsolutePath);
        Assert.Equal("after-logout", QueryHelpers.ParseQuery(hop.RedirectedTo.Query)["state"].ToString());

        var next = await client.FollowAsync(client.NewRequest().Uri);
        Assert.Null(next.RedirectedTo);
        Assert.True(LoginForm.IsLoginForm(next.Body), "the provider session is gone: the form is shown again");
    }

    [Fact]
    public async Task An_unregistered_post_logout_redirect_uri_is_refused()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var endSession = (await client.GetJsonAsync(host.DiscoveryUri)).GetProperty("end_session_endpoint").GetString()!;

        var hop = await client.FollowAsync(new Uri(QueryHelpers.AddQueryString(endSession, "post_logout_redirect_uri", "https://evil.example/")));

        Assert.Null(hop.RedirectedTo);
        Assert.Equal(HttpStatusCode.BadRequest, hop.Status);
    }

    [Fact]
    public async Task A_post_logout_redirect_uri_allowed_after_start_is_accepted()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var late = new Uri("http://127.0.0.1:6124/signout-callback-oidc");
        await host.AllowPostLogoutRedirectUriAsync(late, TestContext.Current.CancellationToken);
        var endSession = (await client.GetJsonAsync(host.DiscoveryUri)).GetProperty("end_session_endpoint").GetString()!;

        var hop = await client.FollowAsync(new Uri(QueryHelpers.AddQueryString(endSession, "post_logout_redirect_uri", late.AbsoluteUri)));

        Assert.Equal(late.AbsolutePath, hop.RedirectedTo?.AbsolutePath);
    }
}
