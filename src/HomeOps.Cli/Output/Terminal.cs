using System.Text;

namespace HomeOps.Cli;

/// <summary>
/// Makes untrusted text safe for a terminal line: control characters (ANSI escapes, newlines) and bidirectional
/// overrides are replaced, so a hostile object name cannot rewrite the screen or reorder what the operator reads.
/// </summary>
public static class Terminal
{
    public static string Clean(string? text, int maxLength = int.MaxValue)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, maxLength == int.MaxValue ? text.Length : maxLength + 1));
        var lastWasSpace = false;
        foreach (var c in text)
        {
            var replaced = char.IsControl(c) || IsBidiControl(c) ? ' ' : c;
            if (replaced == ' ')
            {
                if (lastWasSpace) continue;
                lastWasSpace = true;
            }
            else
            {
                lastWasSpace = false;
            }
            sb.Append(replaced);
            if (sb.Length > maxLength) break;
        }
        var s = sb.ToString().Trim();
        return s.Length > maxLength ? string.Concat(s.AsSpan(0, Math.Max(0, maxLength - 1)), "…") : s;
    }

    private static bool IsBidiControl(char c) =>
        c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
