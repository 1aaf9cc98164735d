using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Antiforgery for state-changing JSON endpoints: a request authenticated by the session cookie must carry the
/// antiforgery token in the <c>RequestVerificationToken</c> header (a browser sends cookies cross-site; a bearer
/// token it cannot forge, so bearer-authenticated calls need no token).
/// </summary>
public static class CookieAntiforgery
{
    public const string HeaderName = "RequestVerificationToken";

    public static TBuilder RequireCookieAntiforgery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var viaBearer = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
            if (!viaBearer)
            {
                var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(http))
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
                        detail: $"Send the token from GET /api/v1/antiforgery in the {HeaderName} header.");
            }
            return await next(context);
        });
        return builder;
    }
}
