using System.Text;
using System.Text.RegularExpressions;

namespace HomeOps.Deploy.Tests.Docker;

/// <summary>
/// .dockerignore as Docker applies it to the build context: patterns relative to the context root, <c>*</c> and
/// <c>?</c> within a path segment, <c>**</c> across any number of segments (including none), <c>!</c> re-includes;
/// a pattern that matches a directory excludes everything below it; the last matching pattern wins.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude, string Text)> _rules = [];

    public DockerIgnore(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Replace('\\', '/').Trim('/');
            if (pattern.StartsWith("./", StringComparison.Ordinal)) pattern = pattern[2..];
            _rules.Add((new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant), exclude, line));
        }
    }

    public static DockerIgnore Load(string path) => new(File.Exists(path) ? File.ReadAllLines(path) : []);

    /// <summary>Whether any rule re-includes paths (then an excluded directory may still hold included files).</summary>
    public bool HasExceptions => _rules.Any(r => !r.Exclude);

    /// <summary>Whether the context path (relative, forward slashes) is left out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var excluded = false;
        foreach (var (pattern, exclude, _) in _rules)
        {
            if (MatchesOrParentMatches(pattern, path)) excluded = exclude;
        }
        return excluded;
    }

    private static bool MatchesOrParentMatches(Regex pattern, string path)
    {
        if (pattern.IsMatch(path)) return true;
        var parent = path;
        while (parent.LastIndexOf('/') is var slash and > 0)
        {
            parent = parent[..slash];
            if (pattern.IsMatch(parent)) return true;
        }
        return false;
    }

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var followedBySlash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                sb.Append(followedBySlash ? "(.*/)?" : ".*");
                i += followedBySlash ? 2 : 1;
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}
