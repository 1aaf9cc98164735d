using HomeOps.Dashboard.Auth;

namespace HomeOps.Dashboard.Tests.Auth;

/// <summary>
/// The return URL after sign-in (/login?returnUrl=…, step-up) is the same local-URL check ASP.NET Core's
/// <c>Url.IsLocalUrl</c> applies: anything a browser could read as another host lands on "/". The values are what the
/// endpoint receives, i.e. after the query string was decoded (%09 → TAB, %2F → /, %5C → \).
/// </summary>
public class ReturnUrlTests
{
    [Theory]
    [InlineData("/\t/evil.example")]      // ?returnUrl=/%09/evil.example: browsers drop the TAB and read //evil.example
    [InlineData("/\n/evil.example")]
    [InlineData("/\r/evil.example")]
    [InlineData("/\0/evil.example")]
    [InlineData("/\u007f/evil.example")]
    [InlineData("/flux\t")]
    [InlineData("//evil.example")]
    [InlineData("///evil.example")]        // %2F%2F decoded
    [InlineData("/\\evil.example")]       // /\ : browsers treat the backslash as a slash
    [InlineData("/\\/evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("\\/evil.example")]
    [InlineData("/%5Cevil.example\\x")]
    [InlineData("/flux\\..\\..\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("http:evil.example")]
    [InlineData("//evil.example/%2F..")]
    [InlineData("javascript:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("evil.example")]
    [InlineData("~//evil.example")]
    [InlineData("")]
    [InlineData(null)]
    public void A_hostile_return_url_lands_on_the_overview(string? returnUrl) =>
        Assert.Equal("/", AuthEndpoints.LocalOrRoot(returnUrl));

    [Theory]
    [InlineData("/")]
    [InlineData("/flux")]
    [InlineData("/operations/runs/6f0c1e2a-0000-4000-8000-000000000001")]
    [InlineData("/flux?namespace=flux-system&q=a%2Fb")]
    [InlineData("/nodes#mini01")]
    public void A_local_path_is_kept(string returnUrl) =>
        Assert.Equal(returnUrl, AuthEndpoints.LocalOrRoot(returnUrl));
}
