using System.Net;
using System.Text.Json;
using HomeOps.Simulator.Identity;
using HomeOps.Simulator.Tests.Identity.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>The authorization code flow with PKCE, driven hop by hop over real HTTP, as the dashboard's handler drives it.</summary>
public sealed class CodeFlowTests
{
    [Fact]
    public async Task Admin_signs_in_and_gets_an_id_token_with_authentik_claims_groups_and_auth_time()
    {
        var clock = new ManualClock();
        await using var host = await ProviderFixture.StartAsync(clock);
        using var client = new OidcTestClient(host);
        var discovery = await client.GetJsonAsync(host.DiscoveryUri);
        var request = client.NewRequest();

        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword);
        var tokens = await client.RedeemAsync(code, request.CodeVerifier);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("Bearer", tokens.Get("token_type"));
        var validation = await JwtChecks.ValidateAsync(client, new Uri(discovery.GetProperty("jwks_uri").GetString()!),
            tokens.IdToken, host.Issuer.AbsoluteUri, host.ClientId);
        Assert.True(validation.IsValid, validation.Exception?.ToString());

        var id = JwtChecks.Read(tokens.IdToken);
        Assert.Matches("^[0-9a-f]{64}$", id.Subject);
        Assert.Equal(request.Nonce, id.GetClaim("nonce").Value);
        Assert.Equal("admin", id.GetClaim("preferred_username").Value);
        Assert.Equal("HomeOps Admin", id.GetClaim("name").Value);
        Assert.Equal("admin@homeops.invalid", id.GetClaim("email").Value);
        Assert.Equal("goauthentik.io/providers/oauth2/default", id.GetClaim("acr").Value);
        using var payload = JsonDocument.Parse(Base64UrlTextEncoder.Decode(id.EncodedPayload));
        Assert.Equal(JsonValueKind.True, payload.RootElement.GetProperty("email_verified").ValueKind);
        Assert.Equal(["homeops-operators", "authentik Admins"], payload.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(clock.UnixSeconds, payload.RootElement.GetProperty("auth_time").GetInt64());
    }

    [Fact]
    public async Task Userinfo_returns_the_same_subject_and_groups_for_the_access_token()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();
        var tokens = await client.RedeemAsync(
            await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword), request.CodeVerifier);

        var (status, userinfo) = await client.UserInfoAsync(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JwtChecks.Read(tokens.IdToken).Subject, userinfo.GetProperty("sub").GetString());
        Assert.Equal("admin", userinfo.GetProperty("preferred_username").GetString());
        Assert.Equal(["homeops-operators", "authentik Admins"], userinfo.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.True(userinfo.GetProperty("email_verified").GetBoolean());
    }

    [Fact]
    public async Task Userinfo_rejects_a_missing_or_forged_access_token()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);

        var (status, _) = await client.UserInfoAsync(host.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5), new TestTokenOptions { SignWithUnknownKey = true }));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Viewer_with_one_group_still_gets_a_groups_array_and_client_secret_basic_works()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();
        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.ViewerUsername, host.ViewerPassword);

        var tokens = await client.RedeemAsync(code, request.CodeVerifier, basicAuthentication: true);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        foreach (var token in new[] { tokens.IdToken, tokens.AccessToken })
        {
            using var payload = JsonDocument.Parse(Base64UrlTextEncoder.Decode(JwtChecks.Read(token).EncodedPayload));
            var groups = payload.RootElement.GetProperty("groups");
            Assert.Equal(JsonValueKind.Array, groups.ValueKind);
            Assert.Equal(["homeops-viewers"], groups.EnumerateArray().Select(g => g.GetString()));
        }
    }

    [Fact]
    public async Task An_extra_test_user_signs_in_with_its_own_groups()
    {
        await using var host = await ProviderFixture.StartAsync(configure: o => o.ExtraUsers.Add(new SimulatedUser("carol", "carol-password", [])));
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();

        var tokens = await client.RedeemAsync(await client.SignInAndGetCodeAsync(request, "carol", "carol-password"), request.CodeVerifier);
        var (_, userinfo) = await client.UserInfoAsync(tokens.AccessToken);

        Assert.Equal("carol", userinfo.GetProperty("preferred_username").GetString());
        Assert.Empty(userinfo.GetProperty("groups").EnumerateArray()); // in no group at all: the access-denied case
    }

    [Fact]
    public async Task A_code_cannot_be_redeemed_without_the_pkce_verifier_nor_twice()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();
        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword);

        var withoutVerifier = await client.RedeemAsync(code, verifier: null);
        var wrongVerifier = await client.RedeemAsync(code, verifier: new string('a', 43));

        Assert.Equal(HttpStatusCode.BadRequest, withoutVerifier.Status);
        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.Status);
        Assert.Equal("invalid_grant", wrongVerifier.Get("error"));
    }

    [Fact]
    public async Task A_wrong_client_secret_is_rejected()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();
        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword);

        var tokens = await client.RedeemAsync(code, request.CodeVerifier, clientSecret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, tokens.Status);
        Assert.Equal("invalid_client", tokens.Get("error"));
    }

    [Theory]
    [InlineData(null, null)]        // no PKCE at all
    [InlineData("plain", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]   // PKCE without hashing: Authentik accepts it, the simulator requires S256
    public async Task Authorization_requests_without_S256_pkce_are_refused(string? method, string? challenge)
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        // A null value leaves the parameter out of the request altogether.
        var request = client.NewRequest(extra: new Dictionary<string, string?> { ["code_challenge_method"] = method, ["code_challenge"] = challenge });
        Assert.Equal(method is not null, request.Uri.Query.Contains("code_challenge=", StringComparison.Ordinal));

        var hop = await client.FollowAsync(request.Uri);

        // OpenIddict answers with an error page at the provider (no redirect, so no code can travel anywhere).
        Assert.Null(hop.RedirectedTo);
        Assert.Equal(HttpStatusCode.BadRequest, hop.Status);
        Assert.Contains("error:invalid_request", hop.Body);
        Assert.Contains("code_challenge", hop.Body);
    }

    [Fact]
    public async Task An_unregistered_redirect_uri_is_refused_until_it_is_allowed_explicitly()
    {
        await using var host = await ProviderFixture.StartAsync();
        var lateUri = new Uri("http://127.0.0.1:6123/signin-oidc");
        using var client = new OidcTestClient(host, lateUri);

        var refused = await client.FollowAsync(client.NewRequest().Uri);

        Assert.Null(refused.RedirectedTo); // an error page at the provider: never a redirect to an unknown URI
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);

        await host.AllowRedirectUriAsync(lateUri, TestContext.Current.CancellationToken);
        var request = client.NewRequest();
        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword);
        var tokens = await client.RedeemAsync(code, request.CodeVerifier); // the stored secret survived the update

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
    }

    [Fact]
    public async Task Offline_access_gives_a_refresh_token_whose_id_token_keeps_the_original_auth_time()
    {
        var clock = new ManualClock();
        await using var host = await ProviderFixture.StartAsync(clock);
        using var client = new OidcTestClient(host);
        var request = client.NewRequest("openid profile email offline_access");
        var tokens = await client.RedeemAsync(
            await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword), request.CodeVerifier);
        var signedInAt = clock.UnixSeconds;
        clock.Advance(TimeSpan.FromMinutes(30));

        var refreshed = await client.RefreshAsync(tokens.Get("refresh_token")!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(signedInAt.ToString(), JwtChecks.Read(refreshed.IdToken).GetClaim("auth_time").Value);
        Assert.Equal(["homeops-operators", "authentik Admins"], JwtChecks.Read(refreshed.AccessToken).Claims.Where(c => c.Type == "groups").Select(c => c.Value));
    }
}
