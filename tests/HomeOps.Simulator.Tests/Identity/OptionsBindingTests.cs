using HomeOps.Simulator.Identity;
using Microsoft.Extensions.Configuration;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>The options bind from the <c>Simulator:Identity</c> section (environment <c>Simulator__Identity__AdminPassword</c>, …).</summary>
public sealed class OptionsBindingTests
{
    [Fact]
    public void Binds_passwords_port_and_redirect_uris_from_configuration_and_keeps_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Identity:AdminPassword"] = "from-config-admin",
            ["Simulator:Identity:ViewerPassword"] = "from-config-viewer",
            ["Simulator:Identity:Port"] = "5081",
            ["Simulator:Identity:RedirectUris:0"] = "http://127.0.0.1:5080/signin-oidc",
            ["Simulator:Identity:AccessTokenLifetime"] = "00:05:00",
        }).Build();
        var options = new IdentityProviderOptions();

        configuration.GetSection("Simulator:Identity").Bind(options);

        Assert.Equal("from-config-admin", options.AdminPassword);
        Assert.Equal("from-config-viewer", options.ViewerPassword);
        Assert.Equal(5081, options.Port);
        Assert.Equal([new Uri("http://127.0.0.1:5080/signin-oidc")], options.RedirectUris);
        Assert.Equal(TimeSpan.FromMinutes(5), options.AccessTokenLifetime);
        Assert.Equal("homeops-dashboard", options.Slug);
        Assert.Equal("homeops-dashboard", options.ClientId);
        Assert.Null(options.ClientSecret);
        Assert.Same(TimeProvider.System, options.Clock);
    }

    [Theory]
    [InlineData("Homeops")]
    [InlineData("../admin")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task A_slug_that_is_not_authentik_shaped_is_refused_before_anything_listens(string slug)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            IdentityProviderHost.StartAsync(new IdentityProviderOptions { Slug = slug }, ct: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_redirect_uri_with_a_fragment_or_a_relative_one_is_refused()
    {
        await using var host = await Support.ProviderFixture.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => host.AllowRedirectUriAsync(new Uri("http://127.0.0.1:5080/signin-oidc#x"), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => host.AllowRedirectUriAsync(new Uri("/signin-oidc", UriKind.Relative), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => host.AllowRedirectUriAsync(new Uri("javascript:alert(1)"), TestContext.Current.CancellationToken));
    }
}
