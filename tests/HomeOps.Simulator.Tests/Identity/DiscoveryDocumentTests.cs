using System.Text.Json;
using HomeOps.Simulator.Tests.Identity.Support;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>The discovery document has Authentik's shape, so the dashboard's handler behaves as it will in production.</summary>
public sealed class DiscoveryDocumentTests
{
    [Fact]
    public async Task Issuer_is_authentik_shaped_with_trailing_slash_and_matches_the_discovery_location()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);

        var discovery = await client.GetJsonAsync(new Uri(host.Issuer, ".well-known/openid-configuration"));

        Assert.Equal($"http://127.0.0.1:{host.Port}/application/o/homeops-dashboard/", host.Issuer.AbsoluteUri);
        Assert.Equal(host.Issuer.AbsoluteUri, discovery.GetProperty("issuer").GetString());
        Assert.Equal(host.DiscoveryUri, new Uri(host.Issuer, ".well-known/openid-configuration"));
    }

    [Fact]
    public async Task Endpoints_follow_the_layout_of_the_real_authentik_discovery_fixture()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var discovery = await client.GetJsonAsync(host.DiscoveryUri);
        using var real = JsonDocument.Parse(RepositoryFiles.Read("tests/fixtures/authentik/oidc-discovery-authentik-2026.5.json"));
        var realIssuer = real.RootElement.GetProperty("issuer").GetString()!;
        var realRoot = new Uri(realIssuer).GetLeftPart(UriPartial.Authority);

        // Every endpoint the real provider has (but the device flow, which the dashboard does not use), moved to our
        // host and slug, must be exactly where ours is.
        string[] endpoints = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint",
            "introspection_endpoint", "revocation_endpoint", "jwks_uri"];
        foreach (var name in endpoints)
        {
            var expected = real.RootElement.GetProperty(name).GetString()!
                .Replace(realRoot, host.BaseUri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
                .Replace("/application/o/hireling/", "/application/o/homeops-dashboard/", StringComparison.Ordinal);
            Assert.True(discovery.TryGetProperty(name, out var actual), $"discovery lacks {name}");
            Assert.Equal(expected, actual.GetString());
        }
    }

    [Fact]
    public async Task Advertises_code_flow_with_S256_pkce_client_secrets_and_the_authentik_claims_but_no_par()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var discovery = await client.GetJsonAsync(host.DiscoveryUri);

        // ASP.NET Core 10 switches to pushed authorization requests when discovery advertises them; Authentik does not.
        Assert.False(discovery.TryGetProperty("pushed_authorization_request_endpoint", out _));
        Assert.False(discovery.TryGetProperty("require_pushed_authorization_requests", out var required) && required.GetBoolean());

        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        Assert.Contains("code", Strings(discovery, "response_types_supported"));
        Assert.Subset(Strings(discovery, "grant_types_supported").ToHashSet(), new HashSet<string> { "authorization_code", "refresh_token" });
        Assert.Subset(Strings(discovery, "token_endpoint_auth_methods_supported").ToHashSet(), new HashSet<string> { "client_secret_post", "client_secret_basic" });
        Assert.Subset(Strings(discovery, "scopes_supported").ToHashSet(), new HashSet<string> { "openid", "profile", "email" });
        Assert.Subset(Strings(discovery, "claims_supported").ToHashSet(),
            new HashSet<string> { "sub", "auth_time", "preferred_username", "name", "email", "email_verified", "groups" });
        Assert.Contains("RS256", Strings(discovery, "id_token_signing_alg_values_supported"));
    }

    [Fact]
    public async Task Jwks_publishes_an_rsa_signing_key()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var discovery = await client.GetJsonAsync(host.DiscoveryUri);

        var jwks = await client.GetJsonAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!));

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray(), k => k.GetProperty("use").GetString() == "sig");
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.False(key.TryGetProperty("d", out _), "the private exponent must never be published");
    }

    private static string[] Strings(JsonElement document, string name) =>
        document.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
