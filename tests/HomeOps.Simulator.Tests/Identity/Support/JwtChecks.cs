using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HomeOps.Simulator.Tests.Identity.Support;

/// <summary>Validates tokens the way a resource server does: keys from the provider's JWKS, issuer and audience.</summary>
internal static class JwtChecks
{
    public static async Task<TokenValidationResult> ValidateAsync(OidcTestClient client, Uri jwksUri, string token, string issuer, string audience)
    {
        var jwks = await client.GetJsonAsync(jwksUri);
        var keys = new JsonWebKeySet(jwks.GetRawText()).GetSigningKeys();
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys,
            ClockSkew = TimeSpan.Zero,
        });
    }

    public static JsonWebToken Read(string token) => new JsonWebTokenHandler().ReadJsonWebToken(token);
}
