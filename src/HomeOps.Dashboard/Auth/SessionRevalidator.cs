using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// A Blazor circuit keeps the user it started with; the session can end or change underneath an open page. Every
/// <see cref="AuthOptions.RevalidationInterval"/> this checks the circuit's session on the server: its end time (a
/// session without one is not valid), that it still exists in the session store (sign-out or revocation deletes it), and
/// the user's groups at Authentik (<see cref="SessionRevalidation"/>). An ended session makes the circuit's user
/// anonymous, so the page asks to sign in again (returning to the same page); changed groups replace the circuit's user,
/// so an operator removed from the group loses the operator controls while the page stays open.
/// </summary>
public sealed class SessionRevalidator : ServerAuthenticationStateProvider, IDisposable
{
    public const string ExpiresClaim = "homeops_session_expires";

    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    private readonly IOptions<AuthOptions> _options;
    private readonly TimeProvider _time;
    private readonly DatabaseTicketStore _sessions;
    private readonly SessionRevalidation _revalidation;
    private readonly ILogger<SessionRevalidator> _logger;
    private CancellationTokenSource? _loop;

    public SessionRevalidator(ILoggerFactory loggerFactory, IOptions<AuthOptions> options, TimeProvider time,
        DatabaseTicketStore sessions, SessionRevalidation revalidation)
    {
        _options = options;
        _time = time;
        _sessions = sessions;
        _revalidation = revalidation;
        _logger = loggerFactory.CreateLogger<SessionRevalidator>();
        AuthenticationStateChanged += StartLoop;
    }

    private void StartLoop(Task<AuthenticationState> state)
    {
        _loop?.Cancel();
        _loop?.Dispose();
        _loop = new CancellationTokenSource();
        _ = LoopAsync(state, _loop.Token);
    }

    private async Task LoopAsync(Task<AuthenticationState> stateTask, CancellationToken ct)
    {
        try
        {
            var user = (await stateTask).User;
            if (user.Identity?.IsAuthenticated != true) return;
            while (true)
            {
                await Task.Delay(_options.Value.RevalidationInterval, _time, ct);
                ClaimsPrincipal? next;
                try
                {
                    next = await CheckAsync(user, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store could not be read (a database hiccup): keep the page, try again next interval.
                    _logger.LogWarning("Session check failed: {Error}", ex.GetType().Name);
                    continue;
                }
                if (ReferenceEquals(next, user)) continue;
                // Raises AuthenticationStateChanged, which starts the loop for the new user and cancels this one.
                SetAuthenticationState(Task.FromResult(new AuthenticationState(next ?? Anonymous)));
                return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>The same user when nothing changed, another when the groups changed, null when the session has ended.</summary>
    private async Task<ClaimsPrincipal?> CheckAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (!IsCurrent(user, now)) return null;
        // Bearer-authenticated circuits do not exist (the page is reached with the cookie); no session id, no session.
        if (user.FindFirst(ServerSessions.SessionIdClaim)?.Value is not { } sid) return null;
        var ticket = await _sessions.RetrieveAsync(sid);
        if (ticket is null) return null;
        var (outcome, principal) = await _revalidation.RevalidateAsync(ticket.Principal, ticket.Properties, ct);
        switch (outcome)
        {
            case RevalidationOutcome.Ended:
                await _sessions.RemoveAsync(sid);
                return null;
            case RevalidationOutcome.Changed:
                ticket = new AuthenticationTicket(principal!, ticket.Properties, ticket.AuthenticationScheme);
                await _sessions.RenewAsync(sid, ticket);
                break;
            case RevalidationOutcome.Confirmed:
                await _sessions.RenewAsync(sid, ticket);
                break;
        }
        var stored = Policies.GroupsOf(ticket.Principal).ToHashSet(StringComparer.Ordinal);
        return stored.SetEquals(Policies.GroupsOf(user)) ? user : ticket.Principal;
    }

    /// <summary>A session is current only with an end time that has not passed (no end time: not valid).</summary>
    public static bool IsCurrent(ClaimsPrincipal user, DateTimeOffset now) =>
        user.Identity?.IsAuthenticated == true &&
        long.TryParse(user.FindFirst(ExpiresClaim)?.Value, out var expires) && now.ToUnixTimeSeconds() < expires;

    /// <summary>
    /// The cookie's OnValidatePrincipal: on requests (pages, API, hub negotiation) the same checks as an open page —
    /// an expired or unexpiring session is rejected, groups are re-read when due and the principal replaced.
    /// </summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (ctx.Principal is null || !IsCurrent(ctx.Principal, now))
        {
            ctx.RejectPrincipal();
            return;
        }
        // A break-glass session is usable only from the networks break-glass is offered to, on every request.
        if (BreakGlassGate.IsBreakGlassSession(ctx.Principal) &&
            !services.GetRequiredService<BreakGlassGate>().IsAllowedNetwork(ctx.HttpContext.Connection.RemoteIpAddress))
        {
            ctx.RejectPrincipal();
            return;
        }
        var (outcome, principal) = await services.GetRequiredService<SessionRevalidation>()
            .RevalidateAsync(ctx.Principal, ctx.Properties, ctx.HttpContext.RequestAborted);
        switch (outcome)
        {
            case RevalidationOutcome.Ended:
                ctx.RejectPrincipal();
                // Deletes the server-side session (the cookie handler calls the store's RemoveAsync).
                await ctx.HttpContext.SignOutAsync(AuthenticationSetup.CookieScheme);
                break;
            case RevalidationOutcome.Changed:
                ctx.ReplacePrincipal(principal!);
                ctx.ShouldRenew = true;
                break;
            case RevalidationOutcome.Confirmed:
                ctx.ShouldRenew = true;
                break;
        }
    }

    public void Dispose()
    {
        AuthenticationStateChanged -= StartLoop;
        _loop?.Cancel();
        _loop?.Dispose();
    }
}
