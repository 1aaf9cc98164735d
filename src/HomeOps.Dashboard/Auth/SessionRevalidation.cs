using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>What a revalidation found.</summary>
public enum RevalidationOutcome
{
    /// <summary>Not due yet, or Authentik could not be asked (outage): the session keeps what it had.</summary>
    Unchanged,
    /// <summary>Asked: the groups are the same; the ticket's check time moved (persist the properties).</summary>
    Confirmed,
    /// <summary>Asked: the groups changed; the ticket's principal was replaced (persist the ticket).</summary>
    Changed,
    /// <summary>Authentik no longer accepts the session's tokens (user removed or deactivated, tokens revoked).</summary>
    Ended,
}

/// <summary>
/// Re-reads a session's group membership from Authentik at most every <see cref="AuthOptions.RevalidationInterval"/>:
/// userinfo with the session's access token (Authentik evaluates the groups at request time), refreshing the access token
/// with the refresh token first when it has expired. An operator removed from the group loses the operator role within
/// one interval, on open pages (<see cref="SessionRevalidator"/>) and on requests (the cookie's OnValidatePrincipal).
/// If Authentik cannot be reached the session keeps its last known groups, as signed-in users keep working during an
/// Authentik outage; a session whose tokens Authentik refuses ends.
/// </summary>
public sealed class SessionRevalidation(
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions, IOptions<AuthOptions> authOptions, TimeProvider time, ILogger<SessionRevalidation> logger,
    IEnumerable<ISessionRoleObserver> observers)
{
    /// <summary>
    /// Revalidates when due (<see cref="RevalidateCoreAsync"/>) and tells the <see cref="ISessionRoleObserver"/>s what
    /// Authentik said: changed groups, or an ended session. Both callers (requests and open pages) come through here.
    /// </summary>
    public async Task<(RevalidationOutcome Outcome, ClaimsPrincipal? Principal)> RevalidateAsync(
        ClaimsPrincipal principal, AuthenticationProperties properties, CancellationToken ct)
    {
        var result = await RevalidateCoreAsync(principal, properties, ct);
        foreach (var observer in observers)
        {
            if (result.Outcome == RevalidationOutcome.Changed) observer.RolesSeen(result.Principal!, "groups re-read from Authentik");
            else if (result.Outcome == RevalidationOutcome.Ended) observer.SessionEnded(principal);
        }
        return result;
    }

    public const string CheckedItem = "homeops:groups-checked";

    public bool IsDue(AuthenticationProperties properties, DateTimeOffset now)
    {
        var last = properties.Items.TryGetValue(CheckedItem, out var v) && long.TryParse(v, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : properties.IssuedUtc ?? DateTimeOffset.MinValue;
        return now - last >= authOptions.Value.RevalidationInterval;
    }

    /// <summary>Revalidates when due; on <see cref="RevalidationOutcome.Changed"/> the new principal is returned.</summary>
    private async Task<(RevalidationOutcome Outcome, ClaimsPrincipal? Principal)> RevalidateCoreAsync(
        ClaimsPrincipal principal, AuthenticationProperties properties, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // A break-glass session has no Authentik tokens: its groups are the configured ones for its (short) lifetime.
        if (BreakGlassGate.IsBreakGlassSession(principal)) return (RevalidationOutcome.Unchanged, null);
        if (!IsDue(properties, now)) return (RevalidationOutcome.Unchanged, null);
        var oidc = oidcOptions.Get(AuthenticationSetup.OidcScheme);
        try
        {
            var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(ct);
            var accessToken = properties.GetTokenValue("access_token");
            var expiresAt = DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var e) ? e : (DateTimeOffset?)null;
            if (accessToken is null || expiresAt is { } exp && exp <= now.AddSeconds(30))
            {
                var refreshed = await RefreshAsync(oidc, configuration.TokenEndpoint, properties, now, ct);
                if (refreshed is null) return (RevalidationOutcome.Ended, null);
                accessToken = refreshed;
            }

            var groups = await UserInfoGroupsAsync(oidc.Backchannel, configuration.UserInfoEndpoint, accessToken, ct);
            if (groups is null)
            {
                // The access token was refused before its expiry: one refresh, then give up.
                var refreshed = await RefreshAsync(oidc, configuration.TokenEndpoint, properties, now, ct);
                groups = refreshed is null ? null : await UserInfoGroupsAsync(oidc.Backchannel, configuration.UserInfoEndpoint, refreshed, ct);
                if (groups is null) return (RevalidationOutcome.Ended, null);
            }

            properties.Items[CheckedItem] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var current = Policies.GroupsOf(principal).ToHashSet(StringComparer.Ordinal);
            if (current.SetEquals(groups)) return (RevalidationOutcome.Confirmed, null);
            logger.LogInformation("Groups of {User} changed at Authentik; the session now has {Groups}",
                principal.FindFirst("preferred_username")?.Value, string.Join(",", groups));
            return (RevalidationOutcome.Changed, WithGroups(principal, groups));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Group membership could not be re-read from Authentik ({Error}); the session keeps its groups", ex.GetType().Name);
            return (RevalidationOutcome.Unchanged, null);
        }
    }

    /// <summary>The groups userinfo reports, or null when the token is refused (401/403). Other failures throw.</summary>
    private static async Task<IReadOnlyList<string>?> UserInfoGroupsAsync(HttpClient http, string endpoint, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return null;
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"userinfo answered {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        if (!json.RootElement.TryGetProperty(Policies.GroupsClaim, out var groups)) return [];
        return groups.ValueKind switch
        {
            JsonValueKind.Array => groups.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.String).Select(g => g.GetString()!).Distinct(StringComparer.Ordinal).ToList(),
            JsonValueKind.String => [groups.GetString()!],
            _ => [],
        };
    }

    /// <summary>Refresh-token grant; stores the new tokens in the properties. Null when there is no refresh token or it is refused.</summary>
    private static async Task<string?> RefreshAsync(OpenIdConnectOptions oidc, string tokenEndpoint, AuthenticationProperties properties, DateTimeOffset now, CancellationToken ct)
    {
        var refreshToken = properties.GetTokenValue("refresh_token");
        if (string.IsNullOrEmpty(refreshToken)) return null;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = oidc.ClientId!,
        };
        if (!string.IsNullOrEmpty(oidc.ClientSecret)) form["client_secret"] = oidc.ClientSecret;
        using var response = await oidc.Backchannel.PostAsync(tokenEndpoint, new FormUrlEncodedContent(form), ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized) return null;   // invalid_grant: revoked or user gone
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"token endpoint answered {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var root = json.RootElement;
        if (!root.TryGetProperty("access_token", out var at) || at.GetString() is not { } access) return null;
        properties.UpdateTokenValue("access_token", access);
        if (root.TryGetProperty("refresh_token", out var rt) && rt.GetString() is { } refresh) properties.UpdateTokenValue("refresh_token", refresh);
        if (root.TryGetProperty("expires_in", out var ei) && ei.TryGetInt32(out var seconds))
            properties.UpdateTokenValue("expires_at", now.AddSeconds(seconds).ToString("o", CultureInfo.InvariantCulture));
        return access;
    }

    private static ClaimsPrincipal WithGroups(ClaimsPrincipal principal, IReadOnlyList<string> groups)
    {
        var source = principal.Identity as ClaimsIdentity ?? new ClaimsIdentity();
        var identity = new ClaimsIdentity(source.Claims.Where(c => c.Type != Policies.GroupsClaim), source.AuthenticationType, source.NameClaimType, source.RoleClaimType);
        foreach (var g in groups) identity.AddClaim(new Claim(Policies.GroupsClaim, g));
        return new ClaimsPrincipal(identity);
    }
}
