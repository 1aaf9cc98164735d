namespace HomeOps.Simulator.Identity;

/// <summary>
/// Settings of the simulator's Authentik-shaped OpenID provider. Deliberately a class, not a record:
/// a record's generated ToString would print the passwords and the client secret into any log that formats it.
/// </summary>
public sealed class IdentityProviderOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one (tests, parallel runs).</summary>
    public int Port { get; set; }

    /// <summary>Authentik application slug: the issuer is <c>http://127.0.0.1:port/application/o/&lt;slug&gt;/</c>.</summary>
    public string Slug { get; set; } = "homeops-dashboard";

    public string ClientId { get; set; } = "homeops-dashboard";

    /// <summary>Confidential client secret; generated when null (read it back from <see cref="IdentityProviderHost.ClientSecret"/>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Exact redirect URIs the client may use (e.g. <c>http://127.0.0.1:5080/signin-oidc</c>). More can be
    /// registered after start with <see cref="IdentityProviderHost.AllowRedirectUriAsync"/>; there is no wildcard.
    /// </summary>
    public IList<Uri> RedirectUris { get; } = [];

    /// <summary>Exact post-logout redirect URIs (e.g. <c>http://127.0.0.1:5080/signout-callback-oidc</c>).</summary>
    public IList<Uri> PostLogoutRedirectUris { get; } = [];

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password of the built-in <c>admin</c> user; generated when null.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Password of the built-in <c>viewer</c> user; generated when null.</summary>
    public string? ViewerPassword { get; set; }

    /// <summary>Users beyond admin and viewer, e.g. one in no dashboard group for access-denied tests.</summary>
    public IList<SimulatedUser> ExtraUsers { get; } = [];

    /// <summary>
    /// Clock for sign-in times (<c>auth_time</c>) and <c>max_age</c> decisions, so step-up tests can age a session
    /// without sleeping. Token lifetimes (iat/exp) always use the system clock, which is what validators compare to.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
