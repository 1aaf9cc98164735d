using HomeOps.Simulator.Identity;

namespace HomeOps.Simulator.Tests.Identity.Support;

/// <summary>Starts a provider on a free port with known passwords, a hand-moved clock and a capturing log.</summary>
internal static class ProviderFixture
{
    /// <summary>Redirect URI registered at start; nothing listens there, the tests only read the redirect.</summary>
    public static readonly Uri RedirectUri = new("http://127.0.0.1:5999/signin-oidc");

    public static readonly Uri PostLogoutRedirectUri = new("http://127.0.0.1:5999/signout-callback-oidc");

    public const string NobodyUsername = "nobody";

    public static async Task<IdentityProviderHost> StartAsync(
        ManualClock? clock = null, CapturingLoggerFactory? logs = null, Action<IdentityProviderOptions>? configure = null)
    {
        var options = new IdentityProviderOptions
        {
            AdminPassword = "admin-" + Guid.NewGuid().ToString("N"),
            ViewerPassword = "viewer-" + Guid.NewGuid().ToString("N"),
            Clock = clock ?? new ManualClock(),
        };
        options.RedirectUris.Add(RedirectUri);
        options.PostLogoutRedirectUris.Add(PostLogoutRedirectUri);
        options.ExtraUsers.Add(new SimulatedUser(NobodyUsername, "nobody-" + Guid.NewGuid().ToString("N"), ["other"]));
        configure?.Invoke(options);
        return await IdentityProviderHost.StartAsync(options, logs, TestContext.Current.CancellationToken);
    }
}
