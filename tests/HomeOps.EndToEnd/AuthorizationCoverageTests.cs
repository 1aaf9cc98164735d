using System.Reflection;
using HomeOps.Dashboard.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.EndToEnd;

/// <summary>
/// Default-deny, enforced: every endpoint, page and hub method the app registers carries an authorization policy,
/// and the few anonymous ones are exactly the expected list — so a new endpoint cannot be added open by accident.
/// </summary>
public sealed class AuthorizationCoverageTests : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    /// <summary>
    /// Anonymous by design: probes, sign-in/out pages, the error page, static files, /metrics (own token), and the
    /// break-glass sign-in page and post (their own server-side offer check, antiforgery, rate limit and lockout).
    /// </summary>
    private static readonly string[] AnonymousAllowed =
    [
        "/healthz", "/readyz", "/login", "/access-denied", "/signed-out", "/signin-error", "/Error", "/metrics",
        "/breakglass", "/breakglass/signin",
    ];

    [Fact]
    public async Task Every_registered_endpoint_has_an_authorization_policy_or_is_on_the_anonymous_list()
    {
        var endpoints = _dashboard.App.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var authorized = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();
            if (anonymous)
            {
                if (!AnonymousAllowed.Contains(route, StringComparer.OrdinalIgnoreCase) && !IsStaticAsset(endpoint))
                    problems.Add($"anonymous but not on the list: {route} ({endpoint.DisplayName})");
            }
            else if (!authorized && !IsDevelopmentStaticFallback(endpoint))
            {
                problems.Add($"no authorization policy: {route} ({endpoint.DisplayName})");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // Anything without metadata still meets the fallback policy: a signed-in viewer.
        var fallback = _dashboard.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        Assert.NotNull(fallback);
        var authorization = _dashboard.App.Services.GetRequiredService<IAuthorizationService>();
        var nobody = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { Request = { Path = "/some/new/endpoint" } };
        Assert.False((await authorization.AuthorizeAsync(nobody, http, fallback)).Succeeded);
        // The pages and the hub are among what was checked.
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/nodes");
        Assert.Contains(endpoints, e => (e.RoutePattern.RawText ?? "").StartsWith(ClusterHub.Path.TrimStart('/'), StringComparison.Ordinal)
                                        || (e.RoutePattern.RawText ?? "").StartsWith(ClusterHub.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_hub_method_is_authorized_and_operator_methods_say_so()
    {
        var hubs = typeof(ClusterHub).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Microsoft.AspNetCore.SignalR.Hub))
            || (t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(Microsoft.AspNetCore.SignalR.Hub<>)));
        var checkedMethods = 0;
        foreach (var hub in hubs)
        {
            var classPolicy = hub.GetCustomAttribute<AuthorizeAttribute>();
            Assert.True(classPolicy is not null, $"{hub.Name} has no [Authorize]");
            foreach (var method in hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.IsSpecialName || method.Name is "OnConnectedAsync" or "OnDisconnectedAsync" or "Dispose") continue;
                Assert.True(method.GetCustomAttribute<AuthorizeAttribute>() is not null,
                    $"{hub.Name}.{method.Name} must state its policy explicitly");
                checkedMethods++;
            }
        }
        Assert.True(checkedMethods >= 2);
        Assert.Equal(HomeOps.Dashboard.Auth.Policies.Operator,
            typeof(ClusterHub).GetMethod(nameof(ClusterHub.Reconcile))!.GetCustomAttribute<AuthorizeAttribute>()!.Policy);
    }

    private static bool IsStaticAsset(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))
        || (endpoint.DisplayName ?? "").Contains("StaticAsset", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// MapStaticAssets' development-time fallback for files added after the build. It carries no metadata of its own
    /// but is not open: the fallback policy (a viewer) applies to it — checked below.
    /// </summary>
    private static bool IsDevelopmentStaticFallback(RouteEndpoint endpoint) => endpoint.DisplayName == "Fallback {**path:file}";
}
