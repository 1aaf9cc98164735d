namespace HomeOps.Simulator.Identity;

/// <summary>
/// Ways to make <see cref="IdentityProviderHost.IssueAccessTokenForTests"/> produce a token a resource server must
/// reject: another issuer, another audience, or a signature by a key the provider's JWKS does not contain.
/// </summary>
public sealed class TestTokenOptions
{
    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    public bool SignWithUnknownKey { get; init; }
}
