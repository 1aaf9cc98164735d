using HomeOps.Dashboard.Auth;

namespace HomeOps.Dashboard.Tests.Auth;

/// <summary>
/// The anonymous carve-out for Blazor's own scripts names the exact files (the sign-in pages load them); any other
/// path merely containing "_framework/" and ending in ".js" stays behind the viewer policy.
/// </summary>
public class FrameworkScriptCarveOutTests
{
    [Theory]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_framework/blazor.server.js")]
    [InlineData("_framework/blazor.web.js")]      // the route pattern's raw text (no leading slash)
    [InlineData("_framework/blazor.server.js")]
    public void The_framework_scripts_are_public(string path) =>
        Assert.True(Policies.IsPublicFrameworkScript(path));

    [Theory]
    [InlineData("/_framework/anything-else.js")]
    [InlineData("/_framework/blazor.web.js.map")]
    [InlineData("/_framework/blazor.webx.js")]
    [InlineData("/operations/workflows/_framework/blazor.web.js")]
    [InlineData("/api/v1/_framework/x.js")]
    [InlineData("/flux/_framework/blazor.server.js")]
    [InlineData("/_framework/../api/v1/health.js")]
    [InlineData("/_framework/sub/blazor.web.js")]
    [InlineData("/_FRAMEWORK/blazor.web.js/x.js")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not(string? path) =>
        Assert.False(Policies.IsPublicFrameworkScript(path));
}
