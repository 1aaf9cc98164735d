using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// A new sign-in while Authentik is down ends on the sign-in error page with a plain sentence — never a stack trace
/// and never the browser's own "site can't be reached" page. Two ways it can fail:
/// <list type="bullet">
/// <item>The provider's discovery document was never loaded: the challenge throws (IDX20803). <see cref="UseSignInOutagePage"/>
/// turns that into the error page (programs get 503).</item>
/// <item>It was loaded earlier (cached): the handler would send the browser to a dead host. <see cref="EnsureReachableAsync"/>,
/// called just before that redirect, checks the provider from the server first.</item>
/// </list>
/// Users already signed in are unaffected: their session is the dashboard's own cookie, checked locally.
/// </summary>
public static class IdentityProviderOutage
{
    public const string UnreachableReason = "Authentik is unreachable. Try again in a minute.";

    public static IApplicationBuilder UseSignInOutagePage(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        try
        {
            await next(ctx);
        }
        catch (Exception ex) when (!ctx.Response.HasStarted && IsConfigurationUnavailable(ex))
        {
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HomeOps.Auth")
                .LogWarning("Sign-in is unavailable: the identity provider's configuration could not be loaded ({Error})", ex.GetType().Name);
            ctx.Response.Clear();
            if (AuthenticationSetup.IsApi(ctx.Request))
            {
                ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                ctx.Response.Headers.RetryAfter = "30";
                return;
            }
            ctx.Response.Redirect("/signin-error?reason=" + Uri.EscapeDataString(UnreachableReason));
        }
    });

    /// <summary>The handler's "could not obtain configuration" failures, the only ones this page stands in for.</summary>
    public static bool IsConfigurationUnavailable(Exception ex) =>
        ex is InvalidOperationException && (ex.Message.Contains("IDX20803", StringComparison.Ordinal) || ex.Message.Contains("IDX20804", StringComparison.Ordinal));

    /// <summary>
    /// Before sending a browser to Authentik: can the server reach it? If not, answer with the error page instead.
    /// The answer is cached briefly (<see cref="IdentityProviderReachability"/>), so anonymous requests cannot be turned
    /// into one outbound call each; challenges also count against the sign-in rate limit (<see cref="Security.DashboardRateLimits"/>).
    /// </summary>
    public static async Task EnsureReachableAsync(RedirectContext ctx)
    {
        var discovery = ctx.Options.MetadataAddress
            ?? ctx.Options.Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
        var reachability = ctx.HttpContext.RequestServices.GetRequiredService<IdentityProviderReachability>();
        bool reachable;
        try
        {
            reachable = await reachability.IsReachableAsync(ctx.Options.Backchannel, discovery, ctx.HttpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        if (reachable) return;
        ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HomeOps.Auth")
            .LogWarning("Sign-in is unavailable: the identity provider did not answer in {Seconds} s", IdentityProviderReachability.ProbeTimeout.TotalSeconds);
        ctx.HandleResponse();
        ctx.Response.Redirect("/signin-error?reason=" + Uri.EscapeDataString(UnreachableReason));
    }
}
