using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// Keeps <c>groups</c> a JSON array in every token, as Authentik sends it, even for a user in one group. The claims of a
/// code or refresh token come back as one string claim per group, which the JWT writer would turn into a bare string
/// for a single group; so right before the tokens are built, the groups are folded back into one JSON-array claim.
/// </summary>
internal sealed class GroupsClaimAsArray : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<GroupsClaimAsArray>()
            .SetOrder(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            return default;
        }

        var claims = identity.FindAll(AuthentikClaims.Groups).ToList();
        if (claims.Count == 0)
        {
            return default;
        }

        var groups = claims.SelectMany(Values).ToArray();
        var destinations = claims[0].GetDestinations();
        foreach (var claim in claims)
        {
            identity.RemoveClaim(claim);
        }

        identity.AddClaim(AuthentikClaims.GroupsClaim(groups).SetDestinations(destinations));
        return default;
    }

    private static IEnumerable<string> Values(Claim claim) =>
        claim.ValueType == JsonClaimValueTypes.JsonArray
            ? JsonSerializer.Deserialize<string[]>(claim.Value) ?? []
            : [claim.Value];
}
