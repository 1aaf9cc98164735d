using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The sign-in form (Authentik's default authentication flow, reduced to username and password). A successful
/// sign-in starts the provider session and returns to the authorization request that asked for it.
/// </summary>
internal static class LoginEndpoints
{
    private const int MaxUsernameLength = 150; // Authentik's username field limit

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuthentikLayout.LoginPath, Show);
        endpoints.MapPost(AuthentikLayout.LoginPath, SubmitAsync);
    }

    private static IResult Show(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return LoginPage.Form(tokens.FormFieldName, tokens.RequestToken!, ResumeUrl.Sanitize(context.Request.Query["next"]), null, null);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, IAntiforgery antiforgery, UserDirectory users, SignInClock clock)
    {
        if (!context.Request.HasFormContentType)
        {
            return LoginPage.Message("Bad request", "The sign-in form must be posted as a form.", StatusCodes.Status400BadRequest);
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return LoginPage.Message("Sign-in form expired", "Go back, reload the page and sign in again.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var username = form["username"].ToString();
        var next = ResumeUrl.Sanitize(form["next"]);
        var user = username.Length <= MaxUsernameLength ? users.Verify(username, form["password"]) : null;
        if (user is null)
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            var echoed = username.Length <= MaxUsernameLength ? username : username[..MaxUsernameLength];
            return LoginPage.Form(tokens.FormFieldName, tokens.RequestToken!, next, echoed, LoginPage.InvalidCredentials);
        }

        await ProviderSession.SignInAsync(context, user, clock.Now);
        return next is null
            ? LoginPage.Message("Signed in", $"You are signed in to the simulated Authentik as {user.Username}.")
            : Results.Redirect(next);
    }
}
