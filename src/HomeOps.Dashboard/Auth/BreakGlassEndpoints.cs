using System.Security.Claims;
using System.Text.Json;
using HomeOps.Operations.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Break-glass sign-in and its step-up (docs/station.md, "Break-glass sign-in"). The forms are the static pages
/// <c>/breakglass</c> and <c>/breakglass/step-up</c>; they post here. Every POST is checked again on the server — offered
/// antiforgery token, offered (<see cref="BreakGlassGate"/>), lockout, credentials — and every outcome is audited
/// (<c>breakglass.signin</c>, <c>breakglass.refused</c>, <c>breakglass.locked</c>, <c>breakglass.lockout</c>,
/// <c>breakglass.step-up</c>, <c>breakglass.signout</c>) and logged, with the user name and client address only. The
/// posts count against the per-address sign-in rate limit (<see cref="Security.SignInLimiter"/>). A session is the
/// dashboard's normal cookie session (server-side, so sign-out revokes it), marked <c>amr=breakglass</c>, holding the
/// first operator group: break-glass exists to run the recovery workflows.
/// </summary>
public static class BreakGlassEndpoints
{
    public const string PagePath = "/breakglass";
    public const string SignInPath = "/breakglass/signin";
    public const string StepUpPagePath = "/breakglass/step-up";
    public const string StepUpPath = "/breakglass/verify";

    public const string AuthenticationType = "BreakGlass";

    public static IServiceCollection AddBreakGlass(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BreakGlassOptions>().Bind(configuration.GetSection(BreakGlassOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BreakGlassOptions>, BreakGlassOptionsValidator>();
        services.AddSingleton<BreakGlassAccount>();
        services.AddSingleton<BreakGlassLockout>();
        services.AddSingleton<BreakGlassGate>();
        return services;
    }

    public static WebApplication MapBreakGlassEndpoints(this WebApplication app)
    {
        // Antiforgery is validated in the handlers (first thing), so each refusal is audited.
        app.MapPost(SignInPath, SignInAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost(StepUpPath, StepUpAsync).RequireAuthorization(Policies.Viewer).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, BreakGlassGate gate, BreakGlassAccount account,
        BreakGlassLockout lockout, IOptions<BreakGlassOptions> options, IOptions<AuthOptions> auth, TimeProvider time)
    {
        // The antiforgery token first, as on every state-changing endpoint; then: offered at all? Both before the
        // credentials are looked at, so a refused request learns nothing about the account.
        if (await AntiforgeryRefusalAsync(http) is { } refused) return refused;
        var offer = await gate.DecideAsync(http);
        if (offer != BreakGlassOffer.Offered)
        {
            await AuditAsync(http, AuditAction.BreakGlassRefused, AuditOutcome.Refused, "anonymous", "", BreakGlassGate.Describe(offer));
            return Results.Text(BreakGlassGate.Describe(offer) + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = AuthEndpoints.LocalOrRoot(form["returnUrl"]);
        var key = account.IsAccount(form["username"]) ? account.UserName : BreakGlassLockout.OtherNames;
        if (await LockedAsync(http, lockout, key) is not null) return Back(PagePath, "locked", returnUrl);

        var now = time.GetUtcNow();
        if (!account.Verify(form["username"], form["password"], form["totp"], now))
        {
            await FailedAsync(http, lockout, options.Value, key, AuditAction.BreakGlassSignIn);
            return Back(PagePath, lockout.LockedUntil(key) is null ? "invalid" : "locked", returnUrl);
        }

        lockout.RecordSuccess(key);
        var principal = Principal(account, auth.Value, now, sessionId: null);
        await http.SignInAsync(AuthenticationSetup.CookieScheme, principal,
            new AuthenticationProperties { ExpiresUtc = now + options.Value.SessionLifetime, IsPersistent = false, AllowRefresh = false });
        await AuditAsync(http, AuditAction.BreakGlassSignIn, AuditOutcome.Succeeded, account.UserName, Groups(principal),
            $"break-glass session started (operator, {options.Value.SessionLifetime.TotalMinutes:0} min{(account.RequiresTotp ? ", password and TOTP" : ", password")})");
        return Results.LocalRedirect(returnUrl);
    }

    private static async Task<IResult> StepUpAsync(HttpContext http, BreakGlassGate gate, BreakGlassAccount account,
        BreakGlassLockout lockout, IOptions<BreakGlassOptions> options, IOptions<AuthOptions> auth, TimeProvider time)
    {
        if (await AntiforgeryRefusalAsync(http) is { } refused) return refused;
        var user = http.User;
        var name = user.FindFirst("preferred_username")?.Value ?? "anonymous";
        if (!BreakGlassGate.IsBreakGlassSession(user))
        {
            await AuditAsync(http, AuditAction.BreakGlassRefused, AuditOutcome.Refused, name, string.Join(",", Policies.GroupsOf(user)),
                "break-glass step-up is only for break-glass sessions (others step up at Authentik)");
            return Results.Text("Break-glass step-up is only for break-glass sessions.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }
        if (!options.Value.Enabled || !gate.IsAllowedNetwork(http.Connection.RemoteIpAddress))
        {
            await AuditAsync(http, AuditAction.BreakGlassRefused, AuditOutcome.Refused, name, Groups(user), BreakGlassGate.Describe(BreakGlassOffer.OutsideAllowedNetworks));
            return Results.Text(BreakGlassGate.Describe(BreakGlassOffer.OutsideAllowedNetworks) + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = AuthEndpoints.LocalOrRoot(form["returnUrl"]);
        var key = account.UserName;
        if (await LockedAsync(http, lockout, key) is not null) return Back(StepUpPagePath, "locked", returnUrl);

        var now = time.GetUtcNow();
        if (!account.Verify(account.UserName, form["password"], form["totp"], now))
        {
            await FailedAsync(http, lockout, options.Value, key, AuditAction.BreakGlassStepUp);
            return Back(StepUpPagePath, lockout.LockedUntil(key) is null ? "invalid" : "locked", returnUrl);
        }

        lockout.RecordSuccess(key);
        // The same server-side session (same key), with a fresh sign-in time for the destructive-action check.
        var principal = Principal(account, auth.Value, now, user.FindFirst(ServerSessions.SessionIdClaim)?.Value);
        var expires = long.TryParse(user.FindFirst(SessionRevalidator.ExpiresClaim)?.Value, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : now + options.Value.SessionLifetime;
        await http.SignInAsync(AuthenticationSetup.CookieScheme, principal,
            new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = false, AllowRefresh = false });
        await AuditAsync(http, AuditAction.BreakGlassStepUp, AuditOutcome.Succeeded, account.UserName, Groups(principal),
            "break-glass step-up: password" + (account.RequiresTotp ? " and TOTP" : "") + " entered again");
        return Results.LocalRedirect(returnUrl);
    }

    /// <summary>The break-glass user: operator (the first of Auth:OperatorGroups), amr=breakglass, signed in now.</summary>
    public static ClaimsPrincipal Principal(BreakGlassAccount account, AuthOptions auth, DateTimeOffset now, string? sessionId)
    {
        var identity = new ClaimsIdentity(AuthenticationType, "preferred_username", Policies.GroupsClaim);
        identity.AddClaim(new Claim("sub", "breakglass:" + account.UserName));
        identity.AddClaim(new Claim("preferred_username", account.UserName));
        identity.AddClaim(new Claim("name", account.UserName + " (break-glass)"));
        identity.AddClaim(new Claim(BreakGlassGate.AmrClaim, BreakGlassGate.AmrValue));
        identity.AddClaim(new Claim(BreakGlassGate.AmrClaim, "pwd"));
        if (account.RequiresTotp) identity.AddClaim(new Claim(BreakGlassGate.AmrClaim, "otp"));
        if (auth.OperatorGroups.FirstOrDefault() is { } group) identity.AddClaim(new Claim(Policies.GroupsClaim, group));
        identity.AddClaim(new Claim(ActorFactory.AuthTimeClaim, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (sessionId is not null) identity.AddClaim(new Claim(ServerSessions.SessionIdClaim, sessionId));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Sign-out of a break-glass session: the dashboard session only (Authentik never knew it), audited.</summary>
    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await AuditAsync(http, AuditAction.BreakGlassSignOut, AuditOutcome.Succeeded, http.User.FindFirst("preferred_username")?.Value ?? "anonymous",
            Groups(http.User), "break-glass session ended (signed out)");
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" }, [AuthenticationSetup.CookieScheme]);
    }

    private static async Task<IResult?> AntiforgeryRefusalAsync(HttpContext http)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (await antiforgery.IsRequestValidAsync(http)) return null;
        await AuditAsync(http, AuditAction.BreakGlassRefused, AuditOutcome.Refused, http.User.FindFirst("preferred_username")?.Value ?? "anonymous",
            string.Join(",", Policies.GroupsOf(http.User)), "missing or invalid antiforgery token");
        return Results.Text("Missing or invalid antiforgery token: reload the form and try again.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
    }

    private static async Task<DateTimeOffset?> LockedAsync(HttpContext http, BreakGlassLockout lockout, string key)
    {
        if (lockout.LockedUntil(key) is not { } until) return null;
        await AuditAsync(http, AuditAction.BreakGlassLocked, AuditOutcome.Refused, key, "",
            $"attempt refused: break-glass sign-in for {key} is locked until {until:u} after repeated failures (the password was not checked)");
        return until;
    }

    private static async Task FailedAsync(HttpContext http, BreakGlassLockout lockout, BreakGlassOptions options, string key, AuditAction action)
    {
        var lockedUntil = lockout.RecordFailure(key);
        var count = lockedUntil is null ? lockout.FailuresOf(key) : options.MaxFailures;
        await AuditAsync(http, action, AuditOutcome.Failed, key, "",
            $"wrong user name, password or code ({count} of {options.MaxFailures} failures within {options.LockoutWindow.TotalMinutes:0.#} min)");
        if (lockedUntil is { } until)
            await AuditAsync(http, AuditAction.BreakGlassLockout, AuditOutcome.Refused, key, "",
                $"break-glass sign-in for {key} locked until {until:u} after {options.MaxFailures} failures");
    }

    private static IResult Back(string page, string error, string returnUrl) =>
        Results.Redirect($"{page}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    private static string Groups(ClaimsPrincipal user) => string.Join(",", Policies.GroupsOf(user));

    /// <summary>One audit entry and one log line; the texts hold a user name, a client address and a fixed sentence.</summary>
    private static async Task AuditAsync(HttpContext http, AuditAction action, AuditOutcome outcome, string user, string groups, string message)
    {
        var services = http.RequestServices;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("HomeOps.Auth.BreakGlass");
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        log.LogWarning("Break-glass {Action} {Outcome} for {User} from {ClientIp}: {Message}", action.Name, outcome, user, client, message);
        try
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            await services.GetRequiredService<IAuditLog>().RecordAsync(new AuditEntry
            {
                At = now,
                User = user,
                Groups = groups,
                Action = action.Name,
                Target = $"{http.Request.Method} {http.Request.Path}",
                Parameters = JsonSerializer.Serialize(new { clientIp = client }),
                StartedAt = now,
                EndedAt = now,
                Outcome = outcome,
                Message = message,
            }, http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Could not audit break-glass {Action} for {User}", action.Name, user);
        }
    }
}
