using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace HomeOps.Dashboard.Auth;

/// <summary>The two roles, as authorization policies over Authentik's <c>groups</c> claim.</summary>
public static class Policies
{
    /// <summary>May watch: a member of a viewer or an operator group.</summary>
    public const string Viewer = "homeops-viewer";
    /// <summary>May act: a member of an operator group.</summary>
    public const string Operator = "homeops-operator";

    public const string GroupsClaim = "groups";

    /// <summary>Distinct group names of a user (groups arrive in both the ID token and userinfo).</summary>
    public static IReadOnlyList<string> GroupsOf(ClaimsPrincipal user) =>
        user.FindAll(GroupsClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();

    public static bool IsOperator(ClaimsPrincipal user, AuthOptions options) =>
        user.Identity?.IsAuthenticated == true && GroupsOf(user).Any(g => options.OperatorGroups.Contains(g, StringComparer.Ordinal));

    public static bool IsViewer(ClaimsPrincipal user, AuthOptions options) =>
        user.Identity?.IsAuthenticated == true &&
        GroupsOf(user).Any(g => options.ViewerGroups.Contains(g, StringComparer.Ordinal) || options.OperatorGroups.Contains(g, StringComparer.Ordinal));

    /// <summary>The framework scripts the anonymous sign-in pages load; exactly these files, nothing else under /_framework/.</summary>
    public static readonly IReadOnlyList<string> PublicFrameworkScripts = ["_framework/blazor.web.js", "_framework/blazor.server.js"];

    /// <summary>
    /// Blazor's own JavaScript: code, no data. The request path ("/_framework/blazor.web.js") or a route pattern's raw
    /// text ("_framework/blazor.web.js"); case-insensitive like routing.
    /// </summary>
    public static bool IsPublicFrameworkScript(string? path)
    {
        if (string.IsNullOrEmpty(path)) return false;
        var relative = path[0] == '/' ? path[1..] : path;
        return PublicFrameworkScripts.Any(f => string.Equals(relative, f, StringComparison.OrdinalIgnoreCase));
    }

    public static void Add(AuthorizationOptions o, AuthOptions options)
    {
        // The framework's scripts are public whichever endpoint serves them (the static-assets manifest or the
        // components endpoint, depending on how the app was published): the anonymous sign-in pages load them.
        var viewer = new AuthorizationPolicyBuilder()
            .RequireAssertion(c => IsViewer(c.User, options) || (c.Resource is HttpContext h && IsPublicFrameworkScript(h.Request.Path.Value)))
            .Build();
        o.AddPolicy(Viewer, viewer);
        o.AddPolicy(Operator, new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
            .RequireAssertion(c => IsOperator(c.User, options)).Build());
        // No schemes in the policies: authentication uses the default (cookie or bearer) scheme and a challenge the
        // challenge scheme (Authentik for people, 401 for programs). Default-deny: anything registered without its own policy still needs a viewer.
        o.DefaultPolicy = viewer;
        o.FallbackPolicy = viewer;
    }
}
