using HomeOps.Simulator.Identity;
using HomeOps.Simulator.Tests.Identity.Support;
using Microsoft.IdentityModel.Tokens;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>
/// Access tokens are signed JWTs that a resource server (the SignalR hub) validates with the provider's JWKS,
/// by issuer and audience, exactly as JwtBearer does against Authentik.
/// </summary>
public sealed class AccessTokenTests
{
    [Fact]
    public async Task The_flow_access_token_validates_for_issuer_and_client_audience_and_carries_groups()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();
        var tokens = await client.RedeemAsync(
            await client.SignInAndGetCodeAsync(request, IdentityProviderHost.ViewerUsername, host.ViewerPassword), request.CodeVerifier);
        var jwks = await JwksUriAsync(client, host);

        var valid = await JwtChecks.ValidateAsync(client, jwks, tokens.AccessToken, host.Issuer.AbsoluteUri, host.ClientId);
        var otherAudience = await JwtChecks.ValidateAsync(client, jwks, tokens.AccessToken, host.Issuer.AbsoluteUri, "some-other-api");

        Assert.True(valid.IsValid, valid.Exception?.ToString());
        Assert.Equal("at+jwt", JwtChecks.Read(tokens.AccessToken).Typ);
        Assert.Equal(["homeops-viewers"], valid.ClaimsIdentity.FindAll("groups").Select(c => c.Value));
        Assert.Equal("viewer", valid.ClaimsIdentity.FindFirst("preferred_username")?.Value);
        Assert.IsType<SecurityTokenInvalidAudienceException>(otherAudience.Exception);
    }

    [Fact]
    public async Task The_access_token_lifetime_follows_the_option()
    {
        await using var host = await ProviderFixture.StartAsync(configure: o => o.AccessTokenLifetime = TimeSpan.FromMinutes(3));
        using var client = new OidcTestClient(host);
        var request = client.NewRequest();
        var tokens = await client.RedeemAsync(
            await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword), request.CodeVerifier);

        var token = JwtChecks.Read(tokens.AccessToken);

        Assert.Equal(TimeSpan.FromMinutes(3), token.ValidTo - token.IssuedAt);
    }

    [Fact]
    public async Task Test_tokens_validate_like_real_ones_and_their_bad_variants_fail_for_the_right_reason()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var jwks = await JwksUriAsync(client, host);
        Task<TokenValidationResult> Validate(string token) => JwtChecks.ValidateAsync(client, jwks, token, host.Issuer.AbsoluteUri, host.ClientId);

        var good = await Validate(host.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5)));
        var expired = await Validate(host.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(-1)));
        var foreignIssuer = await Validate(host.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5),
            new TestTokenOptions { Issuer = "http://127.0.0.1:1/application/o/other/" }));
        var foreignAudience = await Validate(host.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5), new TestTokenOptions { Audience = "other" }));
        var unknownKey = await Validate(host.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5), new TestTokenOptions { SignWithUnknownKey = true }));

        Assert.True(good.IsValid, good.Exception?.ToString());
        Assert.Equal(["homeops-operators", "authentik Admins"], good.ClaimsIdentity.FindAll("groups").Select(c => c.Value));
        Assert.IsType<SecurityTokenExpiredException>(expired.Exception);
        Assert.IsType<SecurityTokenInvalidIssuerException>(foreignIssuer.Exception);
        Assert.IsType<SecurityTokenInvalidAudienceException>(foreignAudience.Exception);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(unknownKey.Exception);
    }

    private static async Task<Uri> JwksUriAsync(OidcTestClient client, IdentityProviderHost host) =>
        new((await client.GetJsonAsync(host.DiscoveryUri)).GetProperty("jwks_uri").GetString()!);
}
