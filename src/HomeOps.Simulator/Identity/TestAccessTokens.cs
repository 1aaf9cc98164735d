using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// Access tokens made directly, without a browser flow, for tests of resource servers (the SignalR hub, the JSON API):
/// the token endpoint's shape, or a deliberately bad variant (expired, foreign issuer or audience, unknown key).
/// </summary>
internal static class TestAccessTokens
{
    public static string Issue(SimulatedUser user, string subject, Uri issuer, string clientId, SigningCredentials signing,
        TimeSpan lifetime, TestTokenOptions? variant)
    {
        var credentials = variant?.SignWithUnknownKey == true
            ? new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "unknown-" + GeneratedSecret.New(8) }, SecurityAlgorithms.RsaSha256)
            : signing;

        // Token times are real time, which validators compare with; an expired token was issued a minute before it expired.
        var now = DateTime.UtcNow;
        var expires = now + lifetime;
        var issuedAt = lifetime > TimeSpan.Zero ? now : expires - TimeSpan.FromMinutes(1);
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = JsonWebTokenTypes.AccessToken,
            Issuer = variant?.Issuer ?? issuer.AbsoluteUri,
            Audience = variant?.Audience ?? clientId,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>
            {
                [Claims.Subject] = subject,
                [Claims.ClientId] = clientId,
                [Claims.Scope] = "openid profile email",
                [Claims.JwtId] = Guid.NewGuid().ToString(),
                [Claims.PreferredUsername] = user.Username,
                [Claims.Name] = user.Name,
                [Claims.Email] = user.Email,
                [Claims.EmailVerified] = true,
                [AuthentikClaims.Groups] = user.Groups.ToArray(),
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
