using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The HTML of the sign-in form and the small pages around it. Everything echoed (username, the resume URL, the
/// antiforgery token) is HTML-encoded; the password is never echoed.
/// </summary>
internal static class LoginPage
{
    public const string InvalidCredentials = "Invalid username or password";

    public static IResult Form(string antiforgeryField, string antiforgeryToken, string? next, string? username, string? error)
    {
        var html = HtmlEncoder.Default;
        var body = new StringBuilder()
            .Append("<h1>Sign in to HomeOps</h1>")
            .Append("<p class=\"hint\">Simulated Authentik: use the admin or viewer password printed when the simulator started.</p>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" data-testid=\"login-error\">").Append(html.Encode(error)).Append("</p>");
        }

        body.Append("<form method=\"post\" action=\"").Append(html.Encode(AuthentikLayout.LoginPath)).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(html.Encode(antiforgeryField)).Append("\" value=\"").Append(html.Encode(antiforgeryToken)).Append("\">")
            .Append("<input type=\"hidden\" name=\"next\" value=\"").Append(html.Encode(next ?? string.Empty)).Append("\">")
            .Append("<label>Username <input name=\"username\" autocomplete=\"username\" autofocus required value=\"")
            .Append(html.Encode(username ?? string.Empty)).Append("\"></label>")
            .Append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>")
            .Append("<button type=\"submit\">Log in</button>")
            .Append("</form>");
        return Page("Sign in", body.ToString(), StatusCodes.Status200OK);
    }

    public static IResult Message(string title, string text, int statusCode = StatusCodes.Status200OK) =>
        Page(title, $"<h1>{HtmlEncoder.Default.Encode(title)}</h1><p>{HtmlEncoder.Default.Encode(text)}</p>", statusCode);

    private static IResult Page(string title, string body, int statusCode) =>
        new HtmlResult(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            $"<title>{HtmlEncoder.Default.Encode(title)} – authentik (simulated)</title><style>{Style}</style></head><body><main>{body}</main></body></html>",
            statusCode);

    private const string Style =
        "body{font-family:system-ui,sans-serif;background:#18191a;color:#eee;display:flex;justify-content:center;padding:2rem 1rem}" +
        "main{max-width:22rem;width:100%}label{display:block;margin:.75rem 0}input{display:block;width:100%;padding:.5rem;box-sizing:border-box}" +
        "button{margin-top:1rem;padding:.5rem 1.5rem}.error{color:#ff8a80}.hint{color:#aaa;font-size:.9rem}";

    /// <summary>An HTML response that cannot be framed, sniffed, cached or leak its URL (which holds the resume URL) as a referrer.</summary>
    private sealed class HtmlResult(string html, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            // No form-action: browsers apply it to the redirects after the post too, and those go on to the client's origin.
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            context.Response.StatusCode = statusCode;
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(html, context.RequestAborted);
        }
    }
}
