using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// A Blazor circuit keeps the user it started with; the cookie can expire underneath an open page. This checks
/// the session's end time every <see cref="AuthOptions.RevalidationInterval"/>: once it has passed, the circuit's
/// user becomes anonymous and the page asks to sign in again (returning to the same page) instead of silently
/// showing data to a session that has ended.
/// </summary>
public sealed class SessionRevalidator(ILoggerFactory loggerFactory, IOptions<AuthOptions> options, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    public const string ExpiresClaim = "homeops_session_expires";

    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        Task.FromResult(IsCurrent(state.User, time.GetUtcNow()));

    public static bool IsCurrent(ClaimsPrincipal user, DateTimeOffset now) =>
        user.Identity?.IsAuthenticated == true &&
        (!long.TryParse(user.FindFirst(ExpiresClaim)?.Value, out var expires) || now.ToUnixTimeSeconds() < expires);
}
