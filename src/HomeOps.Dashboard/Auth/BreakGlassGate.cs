using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>Whether break-glass sign-in is offered to a request, and if not, why.</summary>
public enum BreakGlassOffer
{
    Offered,
    /// <summary>BreakGlass:Enabled is false.</summary>
    NotConfigured,
    /// <summary>The client address is outside BreakGlass:AllowedNetworks.</summary>
    OutsideAllowedNetworks,
    /// <summary>Authentik answers and BreakGlass:AlwaysOffer is off: sign in through Authentik.</summary>
    IdentityProviderReachable,
}

/// <summary>
/// Decides, on the server, whether break-glass is offered: configured, from an allowed network (the client address as
/// the app sees it after <c>UseForwardedHeaders</c>, i.e. the forwarded one only from a known proxy), and either
/// <see cref="BreakGlassOptions.AlwaysOffer"/> or Authentik unreachable (<see cref="IdentityProviderReachability"/>, the
/// same cached probe the sign-in redirect uses). The page asks it to show the form; every POST asks it again.
/// </summary>
public sealed class BreakGlassGate(
    IOptions<BreakGlassOptions> options, IdentityProviderReachability reachability, IOptionsMonitor<OpenIdConnectOptions> oidc)
{
    /// <summary>The amr claim value marking a break-glass session.</summary>
    public const string AmrValue = "breakglass";
    public const string AmrClaim = "amr";

    private IPNetwork[]? _networks;

    public static bool IsBreakGlassSession(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && user.HasClaim(AmrClaim, AmrValue);

    public bool Enabled => options.Value.Enabled;

    public async Task<BreakGlassOffer> DecideAsync(HttpContext http)
    {
        if (!options.Value.Enabled) return BreakGlassOffer.NotConfigured;
        if (!IsAllowedNetwork(http.Connection.RemoteIpAddress)) return BreakGlassOffer.OutsideAllowedNetworks;
        if (options.Value.AlwaysOffer) return BreakGlassOffer.Offered;
        var o = oidc.Get(AuthenticationSetup.OidcScheme);
        var discovery = o.MetadataAddress ?? o.Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
        return await reachability.IsReachableAsync(o.Backchannel, discovery, http.RequestAborted)
            ? BreakGlassOffer.IdentityProviderReachable
            : BreakGlassOffer.Offered;
    }

    /// <summary>The address is inside one of BreakGlass:AllowedNetworks (IPv4-mapped IPv6 addresses count as IPv4).</summary>
    public bool IsAllowedNetwork(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        _networks ??= options.Value.AllowedNetworks
            .Select(n => IPNetwork.TryParse(n, out var net) ? net : (IPNetwork?)null)
            .Where(n => n is not null).Select(n => n!.Value).ToArray();
        return _networks.Any(n => n.Contains(address));
    }

    /// <summary>A sentence for the page and the refusal, never naming the allowed networks.</summary>
    public static string Describe(BreakGlassOffer offer) => offer switch
    {
        BreakGlassOffer.Offered => "Break-glass sign-in is offered.",
        BreakGlassOffer.NotConfigured => "Break-glass sign-in is not configured on this dashboard.",
        BreakGlassOffer.OutsideAllowedNetworks => "Break-glass sign-in is not offered to your network.",
        BreakGlassOffer.IdentityProviderReachable => "Break-glass sign-in is not offered while Authentik is reachable: sign in through Authentik.",
        _ => "Break-glass sign-in is not offered.",
    };
}
