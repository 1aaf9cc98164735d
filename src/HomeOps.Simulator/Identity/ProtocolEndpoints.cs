using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The three endpoints OpenIddict hands to us after validating the protocol request (passthrough): authorize
/// (who is signed in, and is that sign-in fresh enough), userinfo (the claims) and end-session (sign out).
/// Discovery, JWKS, token, introspection and revocation are answered by OpenIddict itself.
/// </summary>
internal static class ProtocolEndpoints
{
    private static readonly string[] GetAndPost = [HttpMethods.Get, HttpMethods.Post];

    public static void Map(IEndpointRouteBuilder endpoints, AuthentikLayout layout)
    {
        endpoints.MapMethods(AuthentikLayout.AuthorizePath, GetAndPost, AuthorizeAsync);
        endpoints.MapMethods(AuthentikLayout.UserInfoPath, GetAndPost, UserInfoAsync);
        // Cast: a lone HttpContext parameter would otherwise bind as a RequestDelegate and drop the returned IResult.
        endpoints.MapMethods(layout.EndSessionPath, GetAndPost, (Delegate)EndSessionAsync);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserDirectory users, SignInClock clock)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not validate this authorization request.");
        var session = await ProviderSession.CurrentAsync(context);
        var user = users.FindByUsername(session?.Username);

        if (user is null || session is null || MustReauthenticate(request, session.Value.AuthTime, clock.Now))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(ErrorProperties(Errors.LoginRequired, "The user must sign in."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // Send the browser to the login form, which comes back here once the password has been entered again.
            IEnumerable<KeyValuePair<string, StringValues>> parameters =
                context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : context.Request.Query;
            return Results.Redirect(AuthentikLayout.LoginPath + QueryString.Create("next", ResumeUrl.From(parameters)));
        }

        var identity = AuthentikClaims.CreateIdentity(user, users.SubjectOf(user), request.GetScopes(), session.Value.AuthTime);
        // The access token's audience is the client itself, so an API of the same application (the SignalR hub)
        // can validate bearer tokens by issuer and audience, as it would against Authentik.
        identity.SetAudiences(request.ClientId!);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>prompt=login, max_age=0, or a sign-in older than max_age seconds: the password must be entered again.</summary>
    private static bool MustReauthenticate(OpenIddictRequest request, long authTime, DateTimeOffset now) =>
        request.HasPromptValue(PromptValues.Login) ||
        request.MaxAge is 0 ||
        (request.MaxAge is long maxAge && now.ToUnixTimeSeconds() - authTime > maxAge);

    private static async Task<IResult> UserInfoAsync(HttpContext context, UserDirectory users)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var user = users.FindBySubject(result.Principal?.GetClaim(Claims.Subject));
        if (result.Principal is null || user is null)
        {
            return Results.Challenge(ErrorProperties(Errors.InvalidToken, "The access token does not belong to a known user."),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var body = AuthentikClaims.UserInfo(user, users.SubjectOf(user), result.Principal.GetScopes());
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not validate this end-session request.");
        await ProviderSession.SignOutAsync(context);

        // OpenIddict has already checked post_logout_redirect_uri against the registered ones; without one,
        // Authentik shows a page, and so do we.
        return string.IsNullOrEmpty(request.PostLogoutRedirectUri)
            ? LoginPage.Message("Signed out", "You have been signed out of the simulated Authentik.")
            : Results.SignOut(null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static AuthenticationProperties ErrorProperties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
