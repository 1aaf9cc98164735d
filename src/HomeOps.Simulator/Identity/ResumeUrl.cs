using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The authorization request the login page returns to. It is only ever a local authorize URL (no open redirect),
/// and it drops what asked for the login (<c>prompt=login</c>, <c>max_age=0</c>) so that the fresh session satisfies it
/// instead of asking again forever. A larger max_age stays: the new auth_time meets it.
/// </summary>
internal static class ResumeUrl
{
    public static string From(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var kept = new List<KeyValuePair<string, StringValues>>();
        foreach (var (name, values) in parameters)
        {
            if (name == Parameters.Prompt)
            {
                var rest = string.Join(' ', values.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(v => v != PromptValues.Login));
                if (rest.Length > 0)
                {
                    kept.Add(new(name, rest));
                }
            }
            else if (!(name == Parameters.MaxAge && values.ToString().Trim() == "0"))
            {
                kept.Add(new(name, values));
            }
        }

        return AuthentikLayout.AuthorizePath + QueryString.Create(kept);
    }

    /// <summary>The value if it is a local authorize URL, else null (the login page then just signs in).</summary>
    public static string? Sanitize(string? next)
    {
        if (string.IsNullOrEmpty(next) || next.Length > 8192 || next.Any(c => char.IsControl(c) || c == '\\'))
        {
            return null;
        }

        return next.StartsWith(AuthentikLayout.AuthorizePath + "?", StringComparison.Ordinal) || next == AuthentikLayout.AuthorizePath
            ? next
            : null;
    }
}
