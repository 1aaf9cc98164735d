using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Claims;
using System.Threading.RateLimiting;
using HomeOps.Dashboard.Auth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Security;

/// <summary>
/// Rate limits (ASP.NET Core's built-in middleware) for the two things worth hammering: operator actions, per user,
/// and sign-in, per client IP. Which requests are actions is read from endpoint metadata — a state-changing method on
/// an endpoint whose policy is <see cref="Policies.Operator"/> — so a new action endpoint is limited without a hook.
/// Operator hub methods share the same per-user budget through <see cref="OperatorHubMethodRateLimitFilter"/>.
/// </summary>
public static class DashboardRateLimits
{
    public static WebApplicationBuilder AddDashboardRateLimits(this WebApplicationBuilder builder)
    {
        var defaults = new RateLimitOptions();
        var configured = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var options = new RateLimitOptions
        {
            Actions = configured.Actions.OrDefault(defaults.Actions),
            SignIn = configured.SignIn.OrDefault(defaults.SignIn),
        };
        // The middleware's own services; the limiters themselves are passed to each UseRateLimiter below.
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddActionBudget(options);
        builder.Services.AddSingleton<SignInLimiter>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<OperatorHubMethodRateLimitFilter>());
        return builder;
    }

    /// <summary>The per-user action budget and its refusal audit, for the endpoints, the hub and the circuit.</summary>
    public static IServiceCollection AddActionBudget(this IServiceCollection services, RateLimitOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RateLimitRefusals>();
        services.AddSingleton<ActionLimiter>();
        services.AddSingleton<ActionBudget>();
        return services;
    }

    /// <summary>
    /// Before authentication: the OIDC callback is handled by the authentication middleware itself. Challenges from
    /// any other path (an anonymous request to a page) draw from the same per-address budget in the OIDC handler's
    /// redirect event (<see cref="RefuseChallengeOverLimitAsync"/>), so every road to Authentik is limited once.
    /// </summary>
    public static IApplicationBuilder UseSignInRateLimit(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<RateLimitOptions>();
        var signIn = app.Services.GetRequiredService<SignInLimiter>();
        return app.UseRateLimiter(new RateLimiterOptions
        {
            GlobalLimiter = signIn.Limiter.WithTranslatedKey<HttpContext>(
                ctx => signIn.IsSignInPath(ctx.Request.Path) ? SignInLimiter.KeyFor(ctx) : SignInLimiter.Unlimited, leaveOpen: true),
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            OnRejected = (ctx, ct) => RejectAsync(ctx.HttpContext, ctx.Lease, "sign-in", ClientIp(ctx.HttpContext), options.SignIn, ct),
        });
    }

    /// <summary>
    /// Called just before a challenge redirects a browser to the identity provider: a challenge from a path the sign-in
    /// middleware has not already counted takes a permit from the caller's sign-in budget; over the limit the answer is
    /// 429 (with Retry-After, audited) and no outbound reachability probe is made. True when refused.
    /// </summary>
    public static async Task<bool> RefuseChallengeOverLimitAsync(HttpContext http)
    {
        var signIn = http.RequestServices.GetRequiredService<SignInLimiter>();
        if (signIn.IsSignInPath(http.Request.Path)) return false;
        using var lease = signIn.Limiter.AttemptAcquire(SignInLimiter.KeyFor(http));
        if (lease.IsAcquired) return false;
        var options = http.RequestServices.GetRequiredService<RateLimitOptions>();
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await RejectAsync(http, lease, "sign-in", ClientIp(http), options.SignIn, http.RequestAborted);
        return true;
    }

    /// <summary>After authorization: the user is known, and requests the policy refused never reach the limit.</summary>
    public static IApplicationBuilder UseActionRateLimit(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<RateLimitOptions>();
        var actions = app.Services.GetRequiredService<ActionLimiter>();
        return app.UseRateLimiter(new RateLimiterOptions
        {
            GlobalLimiter = actions.Limiter.WithTranslatedKey<HttpContext>(
                ctx => IsActionRequest(ctx) ? ActionLimiter.KeyFor(ctx.User) : ActionLimiter.Unlimited, leaveOpen: true),
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            OnRejected = (ctx, ct) => RejectAsync(ctx.HttpContext, ctx.Lease, "actions", ActionLimiter.UserOf(ctx.HttpContext.User), options.Actions, ct),
        });
    }

    /// <summary>A state-changing request to an endpoint only operators may call.</summary>
    public static bool IsActionRequest(HttpContext ctx) =>
        (HttpMethods.IsPost(ctx.Request.Method) || HttpMethods.IsPut(ctx.Request.Method) ||
         HttpMethods.IsPatch(ctx.Request.Method) || HttpMethods.IsDelete(ctx.Request.Method))
        && ctx.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.Operator) == true;

    internal static FixedWindowRateLimiterOptions FixedWindow(WindowLimit limit) => new()
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    internal static string ClientIp(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask RejectAsync(HttpContext http, RateLimitLease lease, string limit, string partition, WindowLimit window, CancellationToken ct)
    {
        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        http.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter, window).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var user = http.User.Identity?.IsAuthenticated == true ? ActionLimiter.UserOf(http.User) : "anonymous";
        await http.RequestServices.GetRequiredService<RateLimitRefusals>().RecordAsync(limit, partition, user,
            string.Join(",", Policies.GroupsOf(http.User)), $"{http.Request.Method} {http.Request.Path}", window, retryAfter, ct);
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync($"Too many {limit} requests: try again in {RetryAfterSeconds(retryAfter, window)} s.\n", ct);
    }

    internal static int RetryAfterSeconds(TimeSpan? retryAfter, WindowLimit window) =>
        Math.Max(1, (int)Math.Ceiling((retryAfter ?? window.Window).TotalSeconds));
}

/// <summary>
/// The per-address sign-in budget: /login, step-up, the break-glass form posts and the OIDC callback (counted by the middleware) and every other
/// challenge (counted in the OIDC redirect event).
/// </summary>
public sealed class SignInLimiter(RateLimitOptions options, IOptionsMonitor<OpenIdConnectOptions> oidc) : IDisposable
{
    public const string Unlimited = "";

    private PathString[]? _paths;

    public PartitionedRateLimiter<string> Limiter { get; } = PartitionedRateLimiter.Create<string, string>(key =>
        key == Unlimited
            ? RateLimitPartition.GetNoLimiter(Unlimited)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => DashboardRateLimits.FixedWindow(options.SignIn)));

    /// <summary>The paths the sign-in middleware counts itself.</summary>
    public bool IsSignInPath(PathString path) =>
        (_paths ??= ["/login", "/login/step-up", oidc.Get(AuthenticationSetup.OidcScheme).CallbackPath,
                     BreakGlassEndpoints.SignInPath, BreakGlassEndpoints.StepUpPath])
        .Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    public static string KeyFor(HttpContext ctx) => "ip:" + DashboardRateLimits.ClientIp(ctx);

    public void Dispose() => Limiter.Dispose();
}

/// <summary>One per-user fixed-window budget for operator actions, shared by the HTTP endpoints and the hub methods.</summary>
public sealed class ActionLimiter(RateLimitOptions options) : IDisposable
{
    public const string Unlimited = "";

    public PartitionedRateLimiter<string> Limiter { get; } = PartitionedRateLimiter.Create<string, string>(key =>
        key == Unlimited
            ? RateLimitPartition.GetNoLimiter(Unlimited)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => DashboardRateLimits.FixedWindow(options.Actions)));

    public static string KeyFor(ClaimsPrincipal user) => "user:" + UserOf(user);

    public static string UserOf(ClaimsPrincipal user) =>
        user.FindFirst("preferred_username")?.Value ?? user.Identity?.Name ?? user.FindFirst("sub")?.Value ?? "anonymous";

    public void Dispose() => Limiter.Dispose();
}

/// <summary>
/// Operator hub methods (<c>[Authorize(Policy = Operator)]</c>, e.g. ClusterHub.Reconcile) draw from the same per-user
/// action budget as the HTTP action endpoints; a refused call gets a HubException and is audited like a 429.
/// </summary>
public sealed class OperatorHubMethodRateLimitFilter(ActionBudget budget) : IHubFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> OperatorMethods = new();

    public static bool IsOperatorMethod(MethodInfo method) => OperatorMethods.GetOrAdd(method, m =>
        m.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Any(a => a.Policy == Policies.Operator));

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!IsOperatorMethod(context.HubMethod)) return await next(context);
        var refused = await budget.TryTakeAsync(context.Context.User ?? new ClaimsPrincipal(),
            $"hub {context.Hub.GetType().Name}.{context.HubMethodName}", context.Context.ConnectionAborted);
        return refused is null ? await next(context) : throw new HubException(refused);
    }
}
