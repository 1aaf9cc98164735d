using System.Security.Claims;
using HomeOps.Dashboard.Auth;

namespace HomeOps.Dashboard.Tests.Auth;

/// <summary>A session is current only with an end time that has not passed: a principal without one is not valid.</summary>
public class SessionExpiryClaimTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T12:00:00Z");

    private static ClaimsPrincipal User(params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim("preferred_username", "admin"), .. claims], "Cookies"));

    [Fact]
    public void A_session_without_an_expiry_claim_is_not_current() =>
        Assert.False(SessionRevalidator.IsCurrent(User(), Now));

    [Fact]
    public void A_malformed_expiry_claim_is_not_current() =>
        Assert.False(SessionRevalidator.IsCurrent(User(new Claim(SessionRevalidator.ExpiresClaim, "soon")), Now));

    [Fact]
    public void A_session_is_current_until_its_end()
    {
        var end = new Claim(SessionRevalidator.ExpiresClaim, Now.AddMinutes(1).ToUnixTimeSeconds().ToString());
        Assert.True(SessionRevalidator.IsCurrent(User(end), Now));
        Assert.False(SessionRevalidator.IsCurrent(User(end), Now.AddMinutes(1)));
    }

    [Fact]
    public void Anonymous_is_never_current() =>
        Assert.False(SessionRevalidator.IsCurrent(new ClaimsPrincipal(new ClaimsIdentity()), Now));
}
