using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.EndToEnd;

/// <summary>How an endpoint is meant to be reached; the expected outcome per identity follows from it (and a row's overrides).</summary>
public enum Access
{
    /// <summary>Anonymous by design and harmless (probes, sign-in/out and error pages, framework scripts, static files).</summary>
    Public,
    /// <summary>Prometheus: its own bearer token (Metrics:BearerToken), which no OIDC identity carries.</summary>
    Metrics,
    /// <summary>Always a challenge to the identity provider.</summary>
    Login,
    /// <summary>A page or browser endpoint for viewers: anonymous people are sent to sign in, bad tokens get 401.</summary>
    ViewerBrowser,
    /// <summary>An API or hub endpoint for viewers: 401 without a valid identity.</summary>
    ViewerApi,
    /// <summary>An action only operators may take: 401 without a valid identity, 403 for viewers, the action's own answer for operators.</summary>
    OperatorApi,
}

/// <summary>One endpoint (method + route pattern) with a concrete request to send and what each identity must get.</summary>
public sealed record EndpointRow(string Method, string Pattern, Access Access, string? SamplePath = null, object? Body = null,
    string? AllowedOutcome = null, IReadOnlyDictionary<Identity, string>? Overrides = null)
{
    public string Path => SamplePath ?? Pattern;

    /// <summary>The method to send: the row's, or for an endpoint that takes any method, the one its clients use.</summary>
    public string SendMethod { get; init; } = Method == "*" ? "GET" : Method;

    public string Key => $"{Method} {Pattern}";

    public bool IsStateChanging => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    public string Expected(Identity identity)
    {
        if (Overrides is not null && Overrides.TryGetValue(identity, out var overridden)) return overridden;
        var allowed = AllowedOutcome ?? "200";
        var badToken = identity is Identity.OtherIssuerToken or Identity.ExpiredToken;
        return Access switch
        {
            Access.Public => allowed,
            Access.Metrics => "401",
            Access.Login => Outcome.SignIn,
            Access.ViewerBrowser => identity == Identity.Anonymous ? Outcome.SignIn : badToken ? "401" : allowed,
            Access.ViewerApi => identity == Identity.Anonymous || badToken ? "401" : allowed,
            Access.OperatorApi => identity == Identity.Anonymous || badToken ? "401"
                : identity is Identity.ViewerCookie or Identity.ViewerBearer ? "403" : allowed,
            _ => throw new ArgumentOutOfRangeException(nameof(identity)),
        };
    }

    public HttpContent? Content() => Body switch
    {
        null => null,
        FormUrlEncodedContent => new FormUrlEncodedContent([new("returnUrl", "/")]),
        _ => JsonContent.Create(Body, Body.GetType()),
    };
}

/// <summary>
/// Every endpoint the app registers, each with a row. Built from the app's own EndpointDataSource: an endpoint with no
/// row fails the matrix, so a new endpoint cannot ship without its expected outcomes.
/// </summary>
public static class EndpointTable
{
    private static readonly Guid NoSuchRun = Guid.Parse("00000000-0000-4000-8000-000000000001");
    private static readonly object SafeResetMini02 = new { workflowId = "cluster:safe-reset", parameters = new { nodes = "mini02" } };
    private static readonly object NoReason = new { reason = (string?)null };
    private static readonly FormUrlEncodedContent Form = new([]);

    /// <summary>Bearer callers carry no antiforgery token; form endpoints (browser only) refuse them with 400.</summary>
    private static readonly IReadOnlyDictionary<Identity, string> FormNeedsToken = new Dictionary<Identity, string>
    {
        [Identity.ViewerBearer] = "400",
        [Identity.OperatorBearer] = "400",
    };

    public static readonly IReadOnlyList<EndpointRow> Explicit =
    [
        // Probes, sign-in and the pages that must work signed out.
        new("GET", "/healthz", Access.Public),
        new("GET", "/readyz", Access.Public),
        new("GET", "/metrics", Access.Metrics),
        new("GET", "/login", Access.Login),
        new("GET", "/login/step-up", Access.ViewerBrowser, AllowedOutcome: Outcome.SignIn),
        new("POST", "/logout", Access.ViewerBrowser, Body: Form, AllowedOutcome: Outcome.SignIn, Overrides: FormNeedsToken),
        new("GET", "/access-denied", Access.Public),
        new("GET", "/signed-out", Access.Public),
        new("GET", "/signin-error", Access.Public),
        new("GET", "/Error", Access.Public),
        // Break-glass (not configured in the matrix's dashboard): the page says so; its post needs the antiforgery token
        // (400 without, as every form) and is then refused as not offered (403); step-up is for break-glass sessions only.
        new("GET", "/breakglass", Access.Public),
        new("POST", "/breakglass/signin", Access.Public, Body: Form, AllowedOutcome: "403", Overrides: new Dictionary<Identity, string>
        {
            [Identity.Anonymous] = "400",
            [Identity.ViewerBearer] = "400",
            [Identity.OperatorBearer] = "400",
            [Identity.OtherIssuerToken] = "400",
            [Identity.ExpiredToken] = "400",
        }),
        new("GET", "/breakglass/step-up", Access.ViewerBrowser),
        new("POST", "/breakglass/verify", Access.ViewerBrowser, Body: Form, AllowedOutcome: "403", Overrides: FormNeedsToken),

        // Pages (viewers).
        new("GET", "/", Access.ViewerBrowser),
        new("GET", "/nodes", Access.ViewerBrowser),
        new("GET", "/flux", Access.ViewerBrowser),
        new("GET", "/longhorn", Access.ViewerBrowser),
        new("GET", "/bgp", Access.ViewerBrowser),
        new("GET", "/authentik", Access.ViewerBrowser),
        new("GET", "/loadbalancers", Access.ViewerBrowser),
        new("GET", "/network", Access.ViewerBrowser),
        new("GET", "/radar", Access.ViewerBrowser),
        new("GET", "/secrets", Access.ViewerBrowser),
        new("GET", "/timeline", Access.ViewerBrowser),
        new("GET", "/notifications", Access.ViewerBrowser),
        new("GET", "/not-found", Access.ViewerBrowser, AllowedOutcome: "200"),
        new("GET", "/operations", Access.ViewerBrowser),
        new("GET", "/operations/audit", Access.ViewerBrowser),
        new("GET", "/operations/bootstrap", Access.ViewerBrowser),
        new("GET", "/operations/safe-reset", Access.ViewerBrowser),
        new("GET", "/operations/workflows/{Id}", Access.ViewerBrowser, "/operations/workflows/cluster:safe-reset"),
        new("GET", "/operations/runs/{RunId:guid}", Access.ViewerBrowser, $"/operations/runs/{NoSuchRun}"),

        // The read API and the hub for other clients.
        new("GET", "/api/v1/health", Access.ViewerApi),
        new("GET", "/api/v1/problems", Access.ViewerApi),
        new("GET", "/api/v1/radar", Access.ViewerApi),
        new("GET", "/api/v1/timeline", Access.ViewerApi),
        new("GET", "/api/v1/antiforgery", Access.ViewerApi),
        new("GET", "/api/v1/audit", Access.ViewerApi),
        new("GET", "/api/v1/operations/workflows", Access.ViewerApi),
        new("GET", "/api/v1/operations/runs", Access.ViewerApi),
        new("GET", "/api/v1/operations/runs/{id:guid}", Access.ViewerApi, $"/api/v1/operations/runs/{NoSuchRun}", AllowedOutcome: "404"),

        // Actions (operators): each operator cell gets the action's own answer — its guards refuse these requests (409),
        // or the run does not exist (404), so the matrix changes nothing in the cluster.
        new("POST", "/api/v1/operations/workflows/{id}/preview", Access.OperatorApi, "/api/v1/operations/workflows/cluster:safe-reset/preview",
            new { parameters = new { nodes = "mini02" } }),
        // Creating a destructive run only records it as awaiting its typed confirmation: nothing runs (200).
        new("POST", "/api/v1/operations/runs", Access.OperatorApi, Body: SafeResetMini02, AllowedOutcome: "200"),
        new("POST", "/api/v1/operations/runs/trigger", Access.OperatorApi, Body: SafeResetMini02, AllowedOutcome: "409"),
        new("POST", "/api/v1/operations/runs/{id:guid}/confirm", Access.OperatorApi, $"/api/v1/operations/runs/{NoSuchRun}/confirm", new { confirmation = "x", reason = "x" }, "409"),
        new("POST", "/api/v1/operations/runs/{id:guid}/start", Access.OperatorApi, $"/api/v1/operations/runs/{NoSuchRun}/start", AllowedOutcome: "409"),
        new("POST", "/api/v1/operations/runs/{id:guid}/resume", Access.OperatorApi, $"/api/v1/operations/runs/{NoSuchRun}/resume", new { reason = "x" }, "409"),
        new("POST", "/api/v1/operations/runs/{id:guid}/cancel", Access.OperatorApi, $"/api/v1/operations/runs/{NoSuchRun}/cancel", NoReason, "409"),
        new("POST", "/api/v1/operations/runs/{id:guid}/abandon", Access.OperatorApi, $"/api/v1/operations/runs/{NoSuchRun}/abandon", NoReason, "409"),
        // Container logs (issue 16): operators only; the matrix's pod does not exist (404 for operators, 403 for viewers).
        new("GET", "/api/v1/pods/{namespace}/{name}/log", Access.OperatorApi, "/api/v1/pods/default/no-such-pod/log", AllowedOutcome: "404"),
        new("POST", "/api/v1/flux/{kind}/{namespace}/{name}/{action}", Access.OperatorApi,
            "/api/v1/flux/Kustomization/flux-system/flux-system/suspend", NoReason, "409"),
    ];

    /// <summary>Framework endpoints, matched by pattern prefix: Blazor's circuit transport and the hub's connection endpoint.</summary>
    public static EndpointRow? Framework(string method, string pattern) => (method, pattern) switch
    {
        (_, "/_blazor/initializers") => new(method, pattern, Access.ViewerBrowser),
        (_, "/_blazor/negotiate") => new(method, pattern, Access.ViewerBrowser) { SendMethod = "POST" },
        // No such circuit: 404 (a circuit's id is a secret only its page holds).
        (_, "/_blazor/disconnect") => new(method, pattern, Access.ViewerBrowser, AllowedOutcome: "404", Body: Form) { SendMethod = "POST" },
        (_, "/_blazor") => new(method, pattern, Access.ViewerBrowser, AllowedOutcome: "400"),
        // Without a protected redirect target from the server: 404.
        ("GET", "/_framework/opaque-redirect") => new(method, pattern, Access.ViewerBrowser, AllowedOutcome: "404"),
        (_, "/hubs/cluster/negotiate") => new(method, pattern, Access.ViewerApi) { SendMethod = "POST" },
        (_, "/hubs/cluster") => new(method, pattern, Access.ViewerApi, AllowedOutcome: "400"),
        _ => null,
    };

    /// <summary>Every (method, pattern) the app registers, from its EndpointDataSource.</summary>
    public static IReadOnlyList<(string Method, string Pattern, RouteEndpoint Endpoint)> Registered(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["*"])
                .Select(m => (m, Normalize(e.RoutePattern.RawText), e)))
            .Distinct()
            .ToList();

    private static string Normalize(string? raw)
    {
        var path = "/" + (raw ?? "").Trim('/');
        return path;
    }

    public static bool IsStaticAsset(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))
        || (endpoint.DisplayName ?? "").Contains("StaticAsset", StringComparison.OrdinalIgnoreCase);

    /// <summary>The row for a registered endpoint, or null when it has none (which fails the matrix).</summary>
    public static EndpointRow? RowFor(string method, string pattern, RouteEndpoint endpoint)
    {
        var row = Explicit.FirstOrDefault(r => r.Method == method && string.Equals(r.Pattern, pattern, StringComparison.Ordinal))
                  ?? Framework(method, pattern);
        if (row is not null) return row;
        // A page also takes POST (Blazor's form handling), which needs the antiforgery token and a named form: with
        // neither form nor token it is refused (400) for everyone the page's own policy lets through.
        if (method == "POST" && Explicit.FirstOrDefault(r => r.Method == "GET" && r.Pattern == pattern) is { } page
            && endpoint.Metadata.Any(m => m.GetType().Name == "ComponentTypeMetadata"))
            return page with { Method = "POST", SendMethod = "POST", Body = Form, AllowedOutcome = "400", Overrides = null };
        if (IsStaticAsset(endpoint) && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && !pattern.Contains('{'))
            return new EndpointRow(method, pattern, Access.Public);
        if (endpoint.DisplayName == "Fallback {**path:file}")
            return new EndpointRow(method, pattern, Access.ViewerBrowser, "/no-such-file.css", AllowedOutcome: "404");
        return null;
    }
}
