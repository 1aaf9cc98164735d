using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// The few inline Markdown forms the workflow texts, caveats, pre-flight warnings and BGP explanations are written with:
/// code spans (<c>`talosctl reset …`</c>, also with longer backtick runs) become <c>&lt;code&gt;</c>, and
/// <c>[text](url)</c> becomes a link when the URL is http(s) or a path on this site. Everything else — emphasis,
/// HTML, an unmatched backtick, a link to any other scheme (<c>javascript:</c>, <c>data:</c>, <c>//host</c>) — is
/// shown as the literal text, HTML-escaped. The texts come from workflow YAML and from the cluster: a hostile string
/// renders as text, never as markup.
/// </summary>
public static class InlineMarkdown
{
    public static MarkupString Render(string? text) => new(ToHtml(text));

    public static string ToHtml(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var html = new StringBuilder(text.Length + 16);
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '`' && TryCodeSpan(text, i, out var code, out var codeEnd))
            {
                Plain(html, text, plainStart, i);
                html.Append("<code>").Append(Encode(code)).Append("</code>");
                i = plainStart = codeEnd;
            }
            else if (c == '[' && TryLink(text, i, out var label, out var url, out var linkEnd))
            {
                Plain(html, text, plainStart, i);
                var external = url.StartsWith("http", StringComparison.OrdinalIgnoreCase);
                html.Append("<a href=\"").Append(Encode(url)).Append('"')
                    .Append(external ? " target=\"_blank\" rel=\"noopener noreferrer\"" : "")
                    .Append('>').Append(ToHtml(label)).Append("</a>");
                i = plainStart = linkEnd;
            }
            else if (c == '`')
            {
                // An unmatched run of backticks stays literal as a whole (not re-read one backtick at a time).
                while (i < text.Length && text[i] == '`') i++;
            }
            else i++;
        }
        Plain(html, text, plainStart, text.Length);
        return html.ToString();
    }

    /// <summary>A run of n backticks up to the next run of exactly n; one space each side is dropped when both are there.</summary>
    private static bool TryCodeSpan(string text, int start, out string code, out int end)
    {
        code = "";
        end = start;
        var n = Run(text, start);
        var search = start + n;
        while (search < text.Length)
        {
            var close = text.IndexOf('`', search);
            if (close < 0) return false;
            var m = Run(text, close);
            if (m == n)
            {
                code = text[(start + n)..close];
                if (code.Length >= 2 && code[0] == ' ' && code[^1] == ' ' && code.Trim().Length > 0) code = code[1..^1];
                if (code.Length == 0) return false;
                end = close + m;
                return true;
            }
            search = close + m;
        }
        return false;
    }

    private static int Run(string text, int at)
    {
        var n = 0;
        while (at + n < text.Length && text[at + n] == '`') n++;
        return n;
    }

    /// <summary>[label](url): the label without brackets, the URL without spaces or parentheses, and a safe URL.</summary>
    private static bool TryLink(string text, int start, out string label, out string url, out int end)
    {
        label = url = "";
        end = start;
        var closeLabel = text.IndexOf(']', start + 1);
        if (closeLabel < 0 || closeLabel + 1 >= text.Length || text[closeLabel + 1] != '(') return false;
        label = text[(start + 1)..closeLabel];
        if (label.Length == 0 || label.Contains('[')) return false;
        var closeUrl = text.IndexOf(')', closeLabel + 2);
        if (closeUrl < 0) return false;
        url = text[(closeLabel + 2)..closeUrl];
        if (!IsSafeUrl(url)) return false;
        end = closeUrl + 1;
        return true;
    }

    /// <summary>http/https with a host, or a path on this site ("/bgp"); no whitespace or control characters anywhere.</summary>
    public static bool IsSafeUrl(string url)
    {
        if (url.Length == 0 || url.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch) || ch is '(' or '<' or '>' or '"' or '\'' or '\\' or '`'))
            return false;
        if (url[0] == '/') return url.Length == 1 || url[1] != '/';
        return Uri.TryCreate(url, UriKind.Absolute, out var u)
               && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)
               && u.Host.Length > 0
               && url.StartsWith(u.Scheme + "://", StringComparison.OrdinalIgnoreCase);
    }

    private static void Plain(StringBuilder html, string text, int from, int to)
    {
        if (to > from) html.Append(Encode(text[from..to]));
    }

    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}
