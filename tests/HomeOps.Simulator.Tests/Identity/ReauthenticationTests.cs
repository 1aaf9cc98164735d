using System.Text.Json;
using HomeOps.Simulator.Identity;
using HomeOps.Simulator.Tests.Identity.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace HomeOps.Simulator.Tests.Identity;

/// <summary>
/// Single sign-on and step-up: a session is reused silently, but prompt=login and max_age force the password again
/// and move auth_time, which is what the dashboard checks before a dangerous action.
/// </summary>
public sealed class ReauthenticationTests
{
    [Fact]
    public async Task With_a_session_a_plain_request_gets_a_code_without_the_form_but_prompt_login_shows_the_form_again()
    {
        var clock = new ManualClock();
        await using var host = await ProviderFixture.StartAsync(clock);
        using var client = new OidcTestClient(host);
        var first = await SignInAsync(client, host, client.NewRequest());

        var silent = client.NewRequest();
        var silentHop = await client.FollowAsync(silent.Uri);
        var silentTokens = await client.RedeemAsync(client.CodeFrom(silentHop, silent), silent.CodeVerifier);
        Assert.Equal(AuthTime(first), AuthTime(silentTokens.IdToken));

        clock.Advance(TimeSpan.FromMinutes(2));
        var stepUp = client.NewRequest(extra: new Dictionary<string, string?> { ["prompt"] = "login" });
        var form = await client.FollowAsync(stepUp.Uri);
        Assert.Null(form.RedirectedTo);
        Assert.True(LoginForm.IsLoginForm(form.Body), "prompt=login must show the form even with a session");

        using var posted = await client.SubmitLoginAsync(form, IdentityProviderHost.AdminUsername, host.AdminPassword);
        var resumed = await client.FollowAsync(new Uri(form.Uri, posted.Headers.Location!));
        var stepUpTokens = await client.RedeemAsync(client.CodeFrom(resumed, stepUp), stepUp.CodeVerifier);

        Assert.Equal(clock.UnixSeconds, AuthTime(stepUpTokens.IdToken));
        Assert.Equal(AuthTime(first) + 120, AuthTime(stepUpTokens.IdToken));
    }

    [Theory]
    [InlineData(300, true)]   // signed in 10 minutes ago: too old for 5 minutes
    [InlineData(3600, false)] // but fresh enough for an hour
    [InlineData(0, true)]     // max_age=0 is prompt=login
    public async Task Max_age_forces_the_form_only_when_the_sign_in_is_older(int maxAge, bool formExpected)
    {
        var clock = new ManualClock();
        await using var host = await ProviderFixture.StartAsync(clock);
        using var client = new OidcTestClient(host);
        await SignInAsync(client, host, client.NewRequest());
        clock.Advance(TimeSpan.FromMinutes(10));

        var request = client.NewRequest(extra: new Dictionary<string, string?> { ["max_age"] = maxAge.ToString() });
        var hop = await client.FollowAsync(request.Uri);

        Assert.Equal(formExpected, hop.RedirectedTo is null && LoginForm.IsLoginForm(hop.Body));
        if (formExpected)
        {
            using var posted = await client.SubmitLoginAsync(hop, IdentityProviderHost.AdminUsername, host.AdminPassword);
            hop = await client.FollowAsync(new Uri(hop.Uri, posted.Headers.Location!));
        }

        var tokens = await client.RedeemAsync(client.CodeFrom(hop, request), request.CodeVerifier);
        Assert.Equal(formExpected ? clock.UnixSeconds : clock.UnixSeconds - 600, AuthTime(tokens.IdToken));
    }

    [Fact]
    public async Task Prompt_none_without_a_session_returns_login_required_to_the_client()
    {
        await using var host = await ProviderFixture.StartAsync();
        using var client = new OidcTestClient(host);
        var request = client.NewRequest(extra: new Dictionary<string, string?> { ["prompt"] = "none" });

        var hop = await client.FollowAsync(request.Uri);

        Assert.NotNull(hop.RedirectedTo);
        var query = QueryHelpers.ParseQuery(hop.RedirectedTo!.Query);
        Assert.Equal("login_required", query["error"].ToString());
        Assert.Equal(request.State, query["state"].ToString());
        Assert.False(query.ContainsKey("code"));
    }

    private static async Task<string> SignInAsync(OidcTestClient client, IdentityProviderHost host, AuthorizationRequest request)
    {
        var code = await client.SignInAndGetCodeAsync(request, IdentityProviderHost.AdminUsername, host.AdminPassword);
        return (await client.RedeemAsync(code, request.CodeVerifier)).IdToken;
    }

    private static long AuthTime(string idToken)
    {
        using var payload = JsonDocument.Parse(Base64UrlTextEncoder.Decode(JwtChecks.Read(idToken).EncodedPayload));
        return payload.RootElement.GetProperty("auth_time").GetInt64();
    }
}
