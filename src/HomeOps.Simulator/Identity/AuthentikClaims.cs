using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The claims Authentik's default scope mappings produce: <c>profile</c> gives name, given_name, preferred_username,
/// nickname and groups (group names); <c>email</c> gives email and email_verified. Authentik's default
/// include_claims_in_id_token puts them in the ID token as well as in userinfo, and its access token JWT carries them too.
/// </summary>
internal static class AuthentikClaims
{
    public const string Groups = "groups";

    /// <summary>The only acr value Authentik advertises.</summary>
    public const string DefaultAcr = "goauthentik.io/providers/oauth2/default";

    /// <summary>The identity OpenIddict turns into an authorization code, then an ID token and an access token.</summary>
    public static ClaimsIdentity CreateIdentity(SimulatedUser user, string subject, IReadOnlyCollection<string> scopes, long authTime)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject);
        if (scopes.Contains(Scopes.Profile))
        {
            identity.SetClaim(Claims.Name, user.Name)
                .SetClaim(Claims.GivenName, user.Name)
                .SetClaim(Claims.PreferredUsername, user.Username)
                .SetClaim(Claims.Nickname, user.Username);
            identity.AddClaim(GroupsClaim(user.Groups));
        }

        if (scopes.Contains(Scopes.Email))
        {
            identity.SetClaim(Claims.Email, user.Email).SetClaim(Claims.EmailVerified, true);
        }

        identity.SetClaim(Claims.AuthenticationTime, authTime).SetClaim(Claims.AuthenticationContextReference, DefaultAcr);
        identity.SetScopes(scopes);
        identity.SetDestinations(static _ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return identity;
    }

    /// <summary>One claim holding a JSON array: the token then has "groups": [...] even for a single group, like Authentik.</summary>
    public static Claim GroupsClaim(IEnumerable<string> groups) =>
        new(Groups, JsonSerializer.Serialize(groups.ToArray()), JsonClaimValueTypes.JsonArray);

    /// <summary>The userinfo response for the scopes the access token was granted.</summary>
    public static JsonObject UserInfo(SimulatedUser user, string subject, IReadOnlyCollection<string> scopes)
    {
        var body = new JsonObject { [Claims.Subject] = subject };
        if (scopes.Contains(Scopes.Profile))
        {
            body[Claims.Name] = user.Name;
            body[Claims.GivenName] = user.Name;
            body[Claims.PreferredUsername] = user.Username;
            body[Claims.Nickname] = user.Username;
            body[Groups] = new JsonArray(user.Groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray());
        }

        if (scopes.Contains(Scopes.Email))
        {
            body[Claims.Email] = user.Email;
            body[Claims.EmailVerified] = true;
        }

        return body;
    }
}
