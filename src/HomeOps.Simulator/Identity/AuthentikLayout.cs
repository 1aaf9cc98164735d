using System.Text.RegularExpressions;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// Authentik's URL layout for one OAuth2/OpenID provider (read from its source, see FIELDS.md §5): the issuer, discovery,
/// JWKS and end-session live under the application slug; authorize, token, userinfo, introspection and revocation
/// are shared by all applications. The login page sits where Authentik's default authentication flow does.
/// </summary>
internal sealed partial class AuthentikLayout
{
    public const string AuthorizePath = "/application/o/authorize/";
    public const string TokenPath = "/application/o/token/";
    public const string UserInfoPath = "/application/o/userinfo/";
    public const string IntrospectionPath = "/application/o/introspect/";
    public const string RevocationPath = "/application/o/revoke/";
    public const string LoginPath = "/if/flow/default-authentication-flow/";

    public AuthentikLayout(string slug)
    {
        if (slug is null || !SlugPattern().IsMatch(slug))
        {
            throw new ArgumentException($"An Authentik slug is 1-64 lowercase letters, digits, '-' and '_': '{slug}'.", nameof(slug));
        }

        ApplicationPath = $"/application/o/{slug}/";
    }

    /// <summary>The issuer's path, with the trailing slash Authentik's issuers have.</summary>
    public string ApplicationPath { get; }

    public string ConfigurationPath => ApplicationPath + ".well-known/openid-configuration";

    public string JwksPath => ApplicationPath + "jwks/";

    public string EndSessionPath => ApplicationPath + "end-session/";

    /// <summary>The absolute URIs once the listening address is known.</summary>
    public ProviderUris Resolve(Uri root) => new(
        Root: root,
        Issuer: new Uri(root, ApplicationPath),
        Configuration: new Uri(root, ConfigurationPath),
        Jwks: new Uri(root, JwksPath),
        EndSession: new Uri(root, EndSessionPath),
        Authorize: new Uri(root, AuthorizePath),
        Token: new Uri(root, TokenPath),
        UserInfo: new Uri(root, UserInfoPath),
        Introspection: new Uri(root, IntrospectionPath),
        Revocation: new Uri(root, RevocationPath),
        Login: new Uri(root, LoginPath));

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex SlugPattern();
}

/// <summary>Absolute endpoint URIs of a running provider (discovery publishes these, OpenIddict matches requests on them).</summary>
internal sealed record ProviderUris(
    Uri Root, Uri Issuer, Uri Configuration, Uri Jwks, Uri EndSession,
    Uri Authorize, Uri Token, Uri UserInfo, Uri Introspection, Uri Revocation, Uri Login);
