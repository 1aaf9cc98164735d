namespace HomeOps.Dashboard.Auth;

/// <summary>Section "Oidc": the Authentik OAuth2/OpenID provider the dashboard signs in with.</summary>
public sealed class OidcOptions
{
    public const string Section = "Oidc";

    /// <summary>Authentik issuer, ending with a slash: https://authentik.example/application/o/&lt;slug&gt;/</summary>
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>From the environment or a mounted secret (Oidc__ClientSecret); never from the repo, never logged.</summary>
    public string ClientSecret { get; set; } = "";
    /// <summary>HTTPS metadata is required unless explicitly turned off for loopback tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>offline_access: a refresh token, so group membership can be re-read after the access token expires.</summary>
    public string[] Scopes { get; set; } = ["openid", "profile", "email", "offline_access"];
    /// <summary>PEM bundle trusted (in addition to the system roots) for Authentik's certificate, e.g. its self-signed one.</summary>
    public string CaBundlePath { get; set; } = "";

    public override string ToString() => $"Authority={Authority}, ClientId={ClientId}, ClientSecret=***";
}

/// <summary>Section "Auth": who may do what, sessions, and the reverse proxy in front of the app.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Authentik group names whose members may watch.</summary>
    public string[] ViewerGroups { get; set; } = ["homeops-viewers"];
    /// <summary>Authentik group names whose members may act (operators are viewers too).</summary>
    public string[] OperatorGroups { get; set; } = ["homeops-operators"];
    /// <summary>A destructive action needs a sign-in no older than this.</summary>
    public TimeSpan StepUpMaxAge { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a dashboard session lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>How often a session is checked: its end, that it was not signed out, and its groups at Authentik.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long the identity provider's reachability (checked before each sign-in redirect) is remembered.</summary>
    public TimeSpan IdentityProviderProbeCache { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Where data-protection keys are persisted so a restart does not sign everyone out.</summary>
    public string DataProtectionKeysPath { get; set; } = "";
    /// <summary>Reverse proxies (ingress-nginx pod IPs) whose X-Forwarded-* headers are honoured.</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>Networks (CIDR) of trusted proxies, e.g. the pod CIDR 10.244.0.0/16.</summary>
    public string[] KnownNetworks { get; set; } = [];
    /// <summary>
    /// Origins (scheme://host[:port]) browsers use to open the dashboard besides the one a request arrives at, e.g.
    /// https://dashboard.k8s.home.geoffdavis.com when a proxy rewrites the host. Cookie-authenticated hub connections
    /// from any other origin are refused.
    /// </summary>
    public string[] PublicOrigins { get; set; } = [];
    /// <summary>Cookies are Secure unless this is set (only for http loopback runs: the simulator, tests).</summary>
    public bool AllowInsecureCookies { get; set; }
}
